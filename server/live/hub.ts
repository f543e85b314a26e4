import type { WebSocket } from 'ws';
import type { StoredEvent } from '../../db/event-store';
import type { Audience, CaseState, EventMessage } from '../../shared';

export type { Audience };

export interface LiveClient {
  socket: WebSocket;
  audience: Audience;
  /** Highest seq this client holds: nothing at or below it is sent again. */
  lastSeq: number;
  /** Clients that asked for `?batch=1` get one frame per tick holding every message of that tick. */
  batch: boolean;
  /** The display token a board connected with, so revoking it can close the socket. */
  displayTokenId: string | null;
  /** The staff member a staff screen signed in as, so disabling the account closes the socket. */
  staffId: string | null;
  /** The session a staff screen opened with, checked again at every heartbeat; null for boards. */
  sessionToken: string | null;
  alive: boolean;
  /** The address the socket came from (the proxy's client address with TRUST_PROXY). */
  address: string;
}

/** Close codes of the live feed beyond the standard ones (README, "How it works"). */
export const CLOSE = {
  /** Sign in again (session or display token no longer valid): the screen stops. */
  unauthenticated: 4401,
  /** Signing in again will not help (an administrator on the patient feed): the screen stops. */
  forbidden: 4403,
  /** The socket sent more messages than its budget: the screen reconnects with backoff. */
  messageBudget: 4429,
  /** A newer socket with the same display token or session took this one's place: reconnect with backoff. */
  replaced: 4430,
} as const;

/** One committed event, already shaped for each audience, with what it was shaped from (kept for replays). */
export interface Publication {
  seq: number;
  staff: EventMessage<'staff'>;
  board: EventMessage<'board'>;
  stored: StoredEvent;
  /** The event's case as it stood right after it; null for room events. */
  state: CaseState | null;
}

export interface HubOptions {
  /** A client whose unsent bytes exceed this is cut off (it reconnects and resumes) rather than slowing the others. */
  maxBufferedBytes: number;
  heartbeatMs: number;
  /** Whether a client's credentials still hold; one that no longer does is closed at the next heartbeat (once the answer is in). */
  stillAllowed?: (client: LiveClient) => boolean | Promise<boolean>;
  /** Open sockets one display token, or one session, may hold; the oldest gives way to a new one. */
  maxPerToken: number;
  maxPerSession: number;
}

/**
 * Fans committed events out to every open socket. Publications queue up and leave together on the next
 * tick, each message serialised once per audience rather than once per socket: with 500 boards this is
 * what keeps a command's latency flat.
 */
export class LiveHub {
  readonly clients = new Set<LiveClient>();
  /** Every upgraded socket per address until its file descriptor is released, closing ones included. */
  readonly #perAddress = new Map<string, number>();
  /** Each display token's and session's clients, oldest first. */
  readonly #perCredential = new Map<string, Set<LiveClient>>();
  #queue: Publication[] = [];
  #scheduled = false;
  #heartbeat: NodeJS.Timeout;

  constructor(private readonly options: HubOptions) {
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Counts a freshly upgraded socket against its address until it is closed, whatever becomes of it. */
  track(socket: WebSocket, address: string) {
    this.#perAddress.set(address, (this.#perAddress.get(address) ?? 0) + 1);
    socket.once('close', () => {
      const left = (this.#perAddress.get(address) ?? 1) - 1;
      if (left > 0) this.#perAddress.set(address, left);
      else this.#perAddress.delete(address);
    });
  }

  socketsFrom(address: string): number {
    return this.#perAddress.get(address) ?? 0;
  }

  add(client: LiveClient) {
    this.clients.add(client);
    client.socket.on('pong', () => (client.alive = true));
    client.socket.on('close', () => this.#remove(client));
    client.socket.on('error', () => client.socket.terminate());
    const key = credentialOf(client);
    if (key === null) return;
    const held = this.#perCredential.get(key) ?? new Set<LiveClient>();
    this.#perCredential.set(key, held);
    held.add(client);
    // The newest wins: a board back from a Wi-Fi drop replaces its own half-open socket, and one
    // credential can never hold more than its cap, however many sockets it opens.
    const cap = client.displayTokenId !== null ? this.options.maxPerToken : this.options.maxPerSession;
    for (const oldest of held) {
      if (held.size <= cap) break;
      this.#remove(oldest);
      oldest.socket.close(CLOSE.replaced, 'replaced by a newer socket');
    }
  }

  #remove(client: LiveClient) {
    this.clients.delete(client);
    const key = credentialOf(client);
    const held = key === null ? undefined : this.#perCredential.get(key);
    if (!held) return;
    held.delete(client);
    if (held.size === 0) this.#perCredential.delete(key!);
  }

  /** The last seq sent to the screens (the log's end at start): what a pong announces. */
  sentSeq = 0;

  /** Queue committed events (in seq order); they go out on the next tick. */
  publish(publications: Publication[]) {
    if (publications.length === 0) return;
    this.#queue.push(...publications);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Sends what is queued now; exported for the shutdown path and tests. */
  flush() {
    this.#scheduled = false;
    const queue = this.#queue;
    this.#queue = [];
    if (queue.length === 0) return;
    const serialised: Record<Audience, string[]> = {
      staff: queue.map((p) => JSON.stringify(p.staff)),
      board: queue.map((p) => JSON.stringify(p.board)),
    };
    // Each frame is encoded to bytes once and the same buffer is written to every socket: a string
    // would be encoded again for each of 500 sockets, and each lagging socket would keep its own copy.
    const batches: Partial<Record<Audience, Buffer>> = {};
    const singles: Partial<Record<Audience, Buffer[]>> = {};
    const first = queue[0]!.seq;
    const last = queue[queue.length - 1]!.seq;
    this.sentSeq = Math.max(this.sentSeq, last);
    for (const client of this.clients) {
      if (client.lastSeq >= last) continue;
      const all = serialised[client.audience];
      // Usually the client holds none of the queue and shares the pre-built frames; a client that
      // resumed in between gets only what it lacks.
      const whole = client.lastSeq < first;
      if (client.batch) {
        const frame = whole
          ? (batches[client.audience] ??= batchOf(all))
          : batchOf(all.filter((_, i) => queue[i]!.seq > client.lastSeq));
        this.send(client, frame);
      } else {
        const frames = (singles[client.audience] ??= all.map((message) => Buffer.from(message)));
        frames.forEach((frame, i) => {
          if (whole || queue[i]!.seq > client.lastSeq) this.send(client, frame);
        });
      }
      client.lastSeq = last;
    }
  }

  /** One text frame (a Buffer holds its UTF-8 bytes, shared by every socket it is written to). */
  send(client: LiveClient, data: string | Buffer) {
    const socket = client.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      socket.terminate();
      this.#remove(client);
      return;
    }
    socket.send(data, { binary: false });
  }

  /** Closes the sockets of a revoked display token. */
  disconnectDisplayToken(tokenId: string) {
    for (const client of this.clients) {
      if (client.displayTokenId === tokenId) client.socket.close(CLOSE.unauthenticated, 'display token revoked');
    }
  }

  /** Closes the sockets opened with a session that just ended (sign-out). */
  disconnectSession(sessionToken: string) {
    for (const client of this.clients) {
      if (client.sessionToken === sessionToken) client.socket.close(CLOSE.unauthenticated, 'signed out');
    }
  }

  /** Closes the sockets of a staff member whose account was disabled or whose password was reset. */
  /** Every socket of the account, but the one opened by `keepSession` (the device that changed its password). */
  disconnectStaff(staffId: string, keepSession?: string) {
    for (const client of this.clients) {
      if (client.staffId === staffId && (keepSession === undefined || client.sessionToken !== keepSession)) client.socket.close(CLOSE.unauthenticated, 'signed out');
    }
  }

  #endSession(client: LiveClient) {
    client.socket.close(CLOSE.unauthenticated, 'session ended');
    this.#remove(client);
  }

  #beat() {
    for (const client of this.clients) {
      const allowed = this.options.stillAllowed?.(client) ?? true;
      if (allowed instanceof Promise) {
        // The database that holds sessions answers later: a failed check keeps the socket until the next beat.
        allowed.then((ok) => !ok && this.clients.has(client) && this.#endSession(client), () => {});
      } else if (!allowed) {
        this.#endSession(client);
        continue;
      }
      if (!client.alive) {
        client.socket.terminate();
        this.#remove(client);
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  close() {
    clearInterval(this.#heartbeat);
    this.flush();
    for (const client of this.clients) client.socket.close(1001, 'server shutting down');
    this.clients.clear();
    this.#perCredential.clear();
  }
}

const batchOf = (messages: string[]) => Buffer.from(`{"type":"batch","messages":[${messages.join(',')}]}`);

const credentialOf = (client: LiveClient) =>
  client.displayTokenId !== null ? `token:${client.displayTokenId}` : client.sessionToken !== null ? `session:${client.sessionToken}` : null;
