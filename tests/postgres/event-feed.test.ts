import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPostgres, type PgConnection } from '../../db/pg/connection';
import { PgEventFeed } from '../../db/pg/event-feed';
import { EVENTS_CHANNEL } from '../../db/pg/event-store';
import type { StoredEvent } from '../../db/store';
import { describePostgres, newDatabase } from '../support/pg';
import { caseEvent } from './pg-fixtures';
import { until } from '../support/until';


describePostgres('live fan-out across instances (LISTEN/NOTIFY)', () => {
  let url: string;
  let a: PgConnection;
  let b: PgConnection;
  const feeds: PgEventFeed[] = [];

  const append = (side: PgConnection, n = 1) =>
    side.store.transaction(async (tx) => {
      let last = 0;
      for (let i = 0; i < n; i++) last = (await tx.append({ roomId: 'r1' }, caseEvent('RoomReady', { i }) as never)).seq;
      return last;
    });

  /** An instance's feed from where the log stands now, recording what it delivers and its status changes. */
  async function follow(side: PgConnection, minBackoffMs = 20) {
    const seen: number[] = [];
    const statuses: string[] = [];
    const feed = new PgEventFeed({
      connectionString: url,
      reads: side.store,
      from: await side.store.lastSeq(),
      deliver: (events: StoredEvent[]) => seen.push(...events.map((e) => e.seq)),
      minBackoffMs,
      maxBackoffMs: 1_000,
      onStatus: (status) => statuses.push(status),
    });
    feeds.push(feed);
    await feed.start();
    return { feed, seen, statuses };
  }

  beforeAll(async () => {
    url = await newDatabase('feed');
    a = await openPostgres(url, { max: 4 });
    b = await openPostgres(url, { max: 4 });
  });
  afterAll(async () => {
    await Promise.all(feeds.map((f) => f.stop()));
    await a?.close();
    await b?.close();
  });

  it('an event committed on instance A is delivered by B’s listener, and by A’s own', async () => {
    const onA = await follow(a);
    const onB = await follow(b);
    const seq = await append(a);
    await until(() => onB.seen.includes(seq) && onA.seen.includes(seq), 'both feeds', 15_000);
    expect(onB.seen).toEqual([seq]);
    expect(onA.seen).toEqual([seq]);
  });

  it('a burst from both instances arrives in seq order, each event once, whatever the notifications say', async () => {
    const { seen } = await follow(b);
    const from = await b.store.lastSeq();
    const bursts = await Promise.all([...Array.from({ length: 10 }, (_, i) => append(i % 2 ? a : b, 3))]);
    // Stale, repeated and ahead-of-the-log notifications, as a coalesced or reordered delivery could bring.
    for (const payload of ['1', String(from + 1), String(from + 1), String(from + 999), 'junk']) {
      await a.pool.query('select pg_notify($1, $2)', [EVENTS_CHANNEL, payload]);
    }
    const last = Math.max(...bursts);
    await until(() => seen.at(-1) === last, 'the burst', 15_000);
    const more = await append(a);
    await until(() => seen.at(-1) === more, 'the next event', 15_000);
    expect(seen).toEqual(Array.from({ length: more - from }, (_, i) => from + 1 + i));
  });

  it('a listener connection killed by the database reconnects and delivers everything once', async () => {
    // A first retry slow enough that the appends below commit while nobody listens.
    const { feed, seen, statuses } = await follow(b, 300);
    const from = feed.lastSeq;
    await append(a);
    await until(() => seen.length === 1, 'the first event', 15_000);
    let last = 0;
    for (let round = 0; round < 2; round++) {
      const killed = await a.pool.query<{ killed: boolean }>(
        "select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = 'cryoday-feed' and query ilike 'listen%'",
      );
      expect(killed.rows.length).toBeGreaterThan(0);
      // Committed while the listener is down: only the catch-up read after LISTEN can bring these.
      await append(a, 5);
      last = await append(b, 2);
      await until(() => statuses.filter((s) => s === 'listening').length === round + 2, 'the listener back', 15_000);
    }
    // Nothing is appended after the last reconnection: no notification will come for these events.
    await until(() => seen.at(-1) === last, 'the catch-up', 15_000);
    expect(seen).toEqual(Array.from({ length: last - from }, (_, i) => from + 1 + i));
    expect(statuses).toEqual(['listening', 'lost', 'listening', 'lost', 'listening']);
    expect(statuses.at(-1)).toBe('listening');
  });
});
