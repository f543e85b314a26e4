import type { CommandAnswer } from '$shared';
import { api } from '$lib/api/client';
import { ApiError, NetworkError, SERVER_UNAVAILABLE } from '$lib/api/problem';
import { forgetEverything, storedEntries, storeEntries } from './offline-db';
import { abandon, byOrder, entriesOf, replay, resend, type OutboxEntry, type Outcome } from './outbox-queue';

// While steps wait and nothing else says the network is back (a socket that stayed up over a failing
// proxy), the outbox tries again on its own this often.
const RETRY_EVERY_MS = 15_000;

// Answers that say "not now" rather than "no": the entry stays as it is and goes again later. Beyond the
// server's own "not now" (which also sends a fresh tap to the outbox), a timeout, a throttle, a failure.
const TRY_AGAIN = new Set([408, 425, 429, 500, ...SERVER_UNAVAILABLE]);

// The entries held in $state are proxies, which IndexedDB cannot clone: it is given plain copies.
const plain = (entries: readonly OutboxEntry[]): OutboxEntry[] => entries.map((e) => $state.snapshot(e) as OutboxEntry);

async function send(entry: OutboxEntry): Promise<Outcome> {
  try {
    return { kind: 'sent', answer: await api.send(entry.caseId, entry.body, entry.key) };
  } catch (error) {
    if (error instanceof NetworkError) return { kind: 'unreachable' };
    if (!(error instanceof ApiError) || TRY_AGAIN.has(error.status)) return { kind: 'unreachable' };
    // The API client has already sent the user to sign in; the entry waits for them.
    if (error.status === 401) return { kind: 'signed_out' };
    return {
      kind: 'refused',
      refusal: { status: error.status, code: error.code, detail: error.detail, ...(error.currentVersion === undefined ? {} : { currentVersion: error.currentVersion }) },
    };
  }
}

/**
 * The signed-in user's steps waiting to be sent (no network, or a server that could not record them
 * just then), kept in IndexedDB so they outlive a reload,
 * and replayed (outbox-queue.ts) whenever the screen may be back online: the live socket opens, the
 * browser says it is online, the page comes back to the front, a step is added.
 */
class Outbox {
  entries = $state<OutboxEntry[]>([]);
  /** Set once the stored entries of the user are read: a replay before that would send nothing. */
  ready = $state(false);
  #userId: string | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #listeners: ((answer: CommandAnswer) => void)[] = [];
  #retry: ReturnType<typeof setTimeout> | null = null;

  async open(userId: string) {
    if (this.#userId === userId) return;
    this.#userId = userId;
    this.ready = false;
    const stored = await storedEntries(userId).catch(() => []);
    if (this.#userId !== userId) return;
    this.entries = byOrder(stored);
    this.ready = true;
    void this.flush();
  }

  get userId(): string | null {
    return this.#userId;
  }

  of(caseId: string): OutboxEntry[] {
    return entriesOf(this.entries, caseId);
  }

  holds(caseId: string): boolean {
    return this.entries.some((e) => e.caseId === caseId);
  }

  /** Every recorded entry's answer, for the screens showing its case. */
  onSent(listener: (answer: CommandAnswer) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** Stores the entry (before the screen says it is waiting), then tries to send it. */
  async add(entry: OutboxEntry) {
    await storeEntries(plain([entry]));
    this.entries = [...this.entries, entry];
    void this.flush();
  }

  /** Sends what waits, once at a time: a trigger during a replay runs one more after it. */
  flush(): Promise<void> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      do {
        this.#again = false;
        if (!this.#userId || this.entries.length === 0) break;
        const outcome = await replay(this.entries, {
          send,
          sent: async (entry, answer) => {
            await storeEntries([], [entry.key]);
            this.entries = this.entries.filter((e) => e.key !== entry.key);
            for (const listener of this.#listeners) listener(answer);
          },
          refused: async (entry, refusal) => {
            const marked = { ...entry, refused: refusal };
            await storeEntries(plain([marked]));
            this.entries = this.entries.map((e) => (e.key === entry.key ? marked : e));
          },
        });
        if (outcome === 'unreachable') this.#retryLater();
        if (outcome !== 'done') break;
      } while (this.#again);
    })().finally(() => (this.#running = null));
    return this.#running;
  }

  #retryLater() {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      void this.flush();
    }, RETRY_EVERY_MS);
  }

  /** "Send again", after the user has read why it was not recorded, on the case as it now is. */
  async resend(key: string, version: number) {
    const before = this.entries;
    const after = resend(before, key, version, () => crypto.randomUUID());
    const kept = new Set(after.map((e) => e.key));
    await storeEntries(
      plain(after.filter((e) => !before.includes(e))),
      before.filter((e) => !kept.has(e.key)).map((e) => e.key),
    );
    this.entries = after;
    void this.flush();
  }

  /** "Give up": the user has read what will not be recorded. */
  async abandon(key: string) {
    await storeEntries([], [key]);
    this.entries = abandon(this.entries, key);
    void this.flush();
  }

  /** Sign-out: the entries, and every answer kept for the session, leave the tablet. */
  async forget() {
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    this.#userId = null;
    this.entries = [];
    this.ready = false;
    await forgetEverything().catch(() => undefined);
  }
}

export const outbox = new Outbox();
