import type { WebSocket } from 'ws';

/** Staff screens see the whole case; wall boards see the pseudonymous projection only. */
export type Audience = 'staff' | 'board';

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
}

/** One committed event, already shaped for each audience. */
export interface Publication {
  seq: number;
  staff: object;
  board: object;
}

export interface HubOptions {
  /** A client whose unsent bytes exceed this is cut off (it reconnects and resumes) rather than slowing the others. */
  maxBufferedBytes: number;
  heartbeatMs: number;
  /** Whether a client's credentials still hold; one that no longer does is closed at the next heartbeat. */
  stillAllowed?: (client: LiveClient) => boolean;
}

/**
 * Fans committed events out to every open socket. Publications queue up and leave together on the next
 * tick, each message serialised once per audience rather than once per socket: with 500 boards this is
 * what keeps a command's latency flat.
 */
export class LiveHub {
  readonly clients = new Set<LiveClient>();
  #queue: Publication[] = [];
  #scheduled = false;
  #heartbeat: NodeJS.Timeout;

  constructor(private readonly options: HubOptions) {
    this.#heartbeat = setInterval(() => this.#beat(), options.heartbeatMs);
    this.#heartbeat.unref();
  }

  add(client: LiveClient) {
    this.clients.add(client);
    client.socket.on('pong', () => (client.alive = true));
    client.socket.on('close', () => this.clients.delete(client));
    client.socket.on('error', () => client.socket.terminate());
  }

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
    const batches: Partial<Record<Audience, string>> = {};
    const first = queue[0]!.seq;
    const last = queue[queue.length - 1]!.seq;
    for (const client of this.clients) {
      if (client.lastSeq >= last) continue;
      const all = serialised[client.audience];
      // Usually the client holds none of the queue and shares the pre-built frames; a client that
      // resumed in between gets only what it lacks.
      const messages = client.lastSeq < first ? all : all.filter((_, i) => queue[i]!.seq > client.lastSeq);
      if (client.batch) {
        const frame =
          messages === all
            ? (batches[client.audience] ??= `{"type":"batch","messages":[${all.join(',')}]}`)
            : `{"type":"batch","messages":[${messages.join(',')}]}`;
        this.send(client, frame);
      } else {
        for (const message of messages) this.send(client, message);
      }
      client.lastSeq = last;
    }
  }

  send(client: LiveClient, data: string) {
    const socket = client.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > this.options.maxBufferedBytes) {
      socket.terminate();
      this.clients.delete(client);
      return;
    }
    socket.send(data);
  }

  /** Closes the sockets of a revoked display token. */
  disconnectDisplayToken(tokenId: string) {
    for (const client of this.clients) {
      if (client.displayTokenId === tokenId) client.socket.close(4401, 'display token revoked');
    }
  }

  /** Closes the sockets opened with a session that just ended (sign-out). */
  disconnectSession(sessionToken: string) {
    for (const client of this.clients) {
      if (client.sessionToken === sessionToken) client.socket.close(4401, 'signed out');
    }
  }

  /** Closes the sockets of a staff member whose account was disabled or whose password was reset. */
  /** Every socket of the account, but the one opened by `keepSession` (the device that changed its password). */
  disconnectStaff(staffId: string, keepSession?: string) {
    for (const client of this.clients) {
      if (client.staffId === staffId && (keepSession === undefined || client.sessionToken !== keepSession)) client.socket.close(4401, 'signed out');
    }
  }

  #beat() {
    for (const client of this.clients) {
      if (this.options.stillAllowed && !this.options.stillAllowed(client)) {
        client.socket.close(4401, 'session ended');
        this.clients.delete(client);
        continue;
      }
      if (!client.alive) {
        client.socket.terminate();
        this.clients.delete(client);
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
  }
}
