import type { LiveClient } from './hub';

interface Request {
  since: number;
  /** Not answered before this instant (ms). */
  dueAt: number;
}

/**
 * Resume requests from every socket, answered one per turn of the event loop, so HTTP requests and
 * commands are served between two replays however many sockets ask at once. A socket has at most one
 * request waiting (a newer one replaces it, keeping its place in line), is not answered while its
 * previous replay is still leaving, and at most once per `spacingMs`.
 */
export class ResumeQueue {
  readonly #waiting = new Map<LiveClient, Request>();
  readonly #answeredAt = new WeakMap<LiveClient, number>();
  #immediate: NodeJS.Immediate | null = null;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly answer: (client: LiveClient, since: number) => void,
    private readonly spacingMs: number,
  ) {}

  request(client: LiveClient, since: number) {
    const answered = this.#answeredAt.get(client);
    this.#waiting.set(client, { since, dueAt: answered === undefined ? 0 : answered + this.spacingMs });
    this.#schedule();
  }

  close() {
    if (this.#immediate) clearImmediate(this.#immediate);
    if (this.#timer) clearTimeout(this.#timer);
    this.#waiting.clear();
  }

  #schedule() {
    if (this.#immediate || this.#waiting.size === 0) return;
    this.#immediate = setImmediate(() => this.#next());
  }

  #next() {
    this.#immediate = null;
    const now = Date.now();
    let wakeAt = Infinity;
    for (const [client, request] of this.#waiting) {
      const socket = client.socket;
      if (socket.readyState !== socket.OPEN) {
        this.#waiting.delete(client);
        continue;
      }
      const dueAt = socket.bufferedAmount > 0 ? Math.max(request.dueAt, now + 20) : request.dueAt;
      if (dueAt > now) {
        wakeAt = Math.min(wakeAt, dueAt);
        continue;
      }
      this.#waiting.delete(client);
      this.#answeredAt.set(client, now);
      this.answer(client, request.since);
      this.#schedule();
      return;
    }
    if (wakeAt !== Infinity && !this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#schedule();
      }, wakeAt - now);
    }
  }
}
