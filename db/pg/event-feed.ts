import pg from 'pg';
import type { StoreReads, StoredEvent } from '../store';
import { connectionConfig } from './connection';
import { EVENTS_CHANNEL } from './event-store';

export interface EventFeedOptions {
  connectionString: string;
  /** Where the rows are read from: the instance's pool, not the listening connection. */
  reads: Pick<StoreReads, 'eventsSince'>;
  /** The last seq this instance already holds; the feed delivers every event after it. */
  from: number;
  /** Called with each run of new events, in seq order, each event once. */
  deliver: (events: StoredEvent[]) => void;
  pageSize?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Told when the listening connection is lost and when it listens again (logs, health). */
  onStatus?: (status: 'listening' | 'lost', error?: unknown) => void;
}

/**
 * Follows the log across instances. A notification says only "the log has grown to seq N": the
 * feed then reads every row after the last seq it delivered, in order, from the database. A burst of
 * notifications coalesced into one read, a notification arriving late, early or twice, changes
 * nothing: what is delivered is always the rows after `lastSeq`, once. A lost connection is opened
 * again with backoff and, once it listens, a read from `lastSeq` catches up on what was committed
 * while nobody listened.
 */
export class PgEventFeed {
  #lastSeq: number;
  #client: pg.Client | null = null;
  #stopped = false;
  #reading = false;
  #readAgain = false;
  readonly #retries = { listen: { failures: 0, timer: null as NodeJS.Timeout | null }, read: { failures: 0, timer: null as NodeJS.Timeout | null } };
  readonly #options: Required<Omit<EventFeedOptions, 'onStatus'>> & Pick<EventFeedOptions, 'onStatus'>;

  constructor(options: EventFeedOptions) {
    this.#options = { pageSize: 500, minBackoffMs: 50, maxBackoffMs: 5_000, ...options };
    this.#lastSeq = options.from;
  }

  /** The highest seq delivered so far. */
  get lastSeq() {
    return this.#lastSeq;
  }

  /**
   * Listens, then catches up: resolves once the first catch-up is delivered, or, when the database
   * cannot be reached yet, at once, the feed trying again with backoff.
   */
  async start(): Promise<void> {
    await this.#listen();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const retry of Object.values(this.#retries)) if (retry.timer) clearTimeout(retry.timer);
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }

  async #listen(): Promise<void> {
    const client = new pg.Client(connectionConfig(this.#options.connectionString, { application_name: 'cryoday-feed' }));
    // A dying connection may report both an error and its end: it is replaced once.
    let dead = false;
    const lost = (error?: unknown) => {
      if (dead) return;
      dead = true;
      this.#lost(client, error);
    };
    client.on('error', lost);
    client.on('end', () => lost());
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL && Number(message.payload) > this.#lastSeq) void this.#catchUp();
    });
    try {
      await client.connect();
      // LISTEN before reading: a commit after this point is notified, one before it is in the read.
      await client.query(`listen ${EVENTS_CHANNEL}`);
    } catch (error) {
      lost(error);
      return;
    }
    if (this.#stopped) {
      await client.end().catch(() => {});
      return;
    }
    this.#client = client;
    this.#retries.listen.failures = 0;
    this.#options.onStatus?.('listening');
    await this.#catchUp();
  }

  #lost(client: pg.Client, error?: unknown) {
    if (this.#stopped) return;
    if (this.#client === client) this.#client = null;
    client.removeAllListeners('notification');
    client.end().catch(() => {});
    this.#options.onStatus?.('lost', error);
    this.#retry('listen', () => this.#listen());
  }

  #retry(kind: 'listen' | 'read', again: () => Promise<void>) {
    const retry = this.#retries[kind];
    if (this.#stopped || retry.timer) return;
    const { minBackoffMs, maxBackoffMs } = this.#options;
    const delay = Math.min(maxBackoffMs, minBackoffMs * 2 ** retry.failures);
    retry.failures++;
    retry.timer = setTimeout(() => {
      retry.timer = null;
      void again();
    }, delay);
  }

  /** One read at a time; a notification during a read asks for one more pass once it ends. */
  async #catchUp(): Promise<void> {
    if (this.#reading) {
      this.#readAgain = true;
      return;
    }
    this.#reading = true;
    try {
      do {
        this.#readAgain = false;
        for (;;) {
          const rows = await this.#options.reads.eventsSince(this.#lastSeq, this.#options.pageSize);
          if (this.#stopped) return;
          const fresh = rows.filter((row) => row.seq > this.#lastSeq);
          if (fresh.length > 0) {
            this.#lastSeq = fresh[fresh.length - 1]!.seq;
            this.#options.deliver(fresh);
          }
          if (rows.length < this.#options.pageSize) break;
        }
      } while (this.#readAgain && !this.#stopped);
      this.#retries.read.failures = 0;
    } catch {
      // The pool could not read (the database restarting): try again with the same backoff.
      this.#retry('read', () => this.#catchUp());
    } finally {
      this.#reading = false;
    }
  }
}
