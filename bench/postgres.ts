// `npm run bench:pg`: the PostgreSQL store's figures beside the raw ceiling of the same cluster.
//   (a) raw single-row insert transactions/s with synchronous_commit=on: 1 connection, then 8
//   (b) the ways of numbering the log, 8 writers: a bare sequence (the ceiling, with holes readers see),
//       one head row locked then incremented (what db/pg/migrations does), an advisory lock then max + 1
//   (c) appends/s through the pg event store: 1 writer, 8 writers on 2 instances, groups of 10
//   (d) a commit on instance A → delivered by instance B's PgEventFeed, p50 / p99 ms
//   (e) the app: two instances (the server's bundle, real processes) on one database, 500 boards
//       split over them: commands/s from 20 tablets, and command → last board p50 / p99 at 50 commands/s
//       (bench/pg-app.ts; on a database of its own when the cluster is the run's)
// BENCH_PG_URL=postgres://… measures an existing database (its tables are created); otherwise a
// throwaway cluster is initdb'd for the run, fsync on, in the system's temporary folder.
import { performance } from 'node:perf_hooks';
import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { connectionConfig, openPostgres, type PgConnection } from '../db/pg/connection';
import { PgEventFeed } from '../db/pg/event-feed';
import type { StoredEvent } from '../db/store';
import { appFigures } from './pg-app';
import { freshDatabase, postgresBinDir, startCluster, type Cluster } from '../tests/support/postgres';

const report = (label: string, value: string) => console.log(`${label.padEnd(66)} ${value}`);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const event = (i: number) => ({
  type: 'RoomReady',
  occurredAt: '2026-12-01T08:00:00.000Z',
  recordedAt: '2026-12-01T08:00:00.000Z',
  actor: { id: 'bench', name: 'Bench', role: 'nurse' as const },
  data: { roomId: 'r1', i },
});

/** `writers` connections each running `perWriter` transactions of `work`; transactions/s overall. */
async function concurrent(url: string, writers: number, perWriter: number, work: (client: pg.Client, i: number) => Promise<void>) {
  const clients = await Promise.all(
    Array.from({ length: writers }, async () => {
      const client = new pg.Client(connectionConfig(url));
      await client.connect();
      return client;
    }),
  );
  const start = performance.now();
  await Promise.all(clients.map(async (client, w) => {
    for (let i = 0; i < perWriter; i++) await work(client, w * perWriter + i);
  }));
  const seconds = (performance.now() - start) / 1000;
  await Promise.all(clients.map((c) => c.end()));
  return (writers * perWriter) / seconds;
}

async function ceilings(url: string) {
  const setup = new pg.Client(connectionConfig(url));
  await setup.connect();
  await setup.query(`
    create table raw (id bigserial primary key, v text not null);
    create table counted (seq bigint primary key, v text not null);
    create table counter (seq bigint not null);
    insert into counter values (0);
    create table locked (seq bigint primary key, v text not null);`);
  const { rows } = await setup.query<{ s: string }>("select current_setting('synchronous_commit') as s");
  await setup.end();
  const v = (i: number) => `{"type":"VitalsRecorded","i":${i}}`;
  const insert = (client: pg.Client, i: number) => client.query('insert into raw (v) values ($1)', [v(i)]).then(() => {});
  report(`(a) raw single-row insert transactions/s, 1 connection (synchronous_commit=${rows[0]!.s})`, (await concurrent(url, 1, 1000, insert)).toFixed(0));
  const rawEight = await concurrent(url, 8, 300, insert);
  report('    8 connections (commits share WAL flushes)', rawEight.toFixed(0));
  report('(b) 8 writers, a bare sequence: (a) with 8 connections, holes seen by readers', rawEight.toFixed(0));
  // Both hold their lock from the transaction's first round trip to its commit, as the store does.
  const counted = await concurrent(url, 8, 150, async (client, i) => {
    await client.query('begin; select seq from counter for update');
    await client.query('with s as (update counter set seq = seq + 1 returning seq) insert into counted select s.seq, $1 from s', [v(i)]);
    await client.query('commit');
  });
  report("    8 writers, one head row locked, then incremented (the store's choice)", counted.toFixed(0));
  const locked = await concurrent(url, 8, 150, async (client, i) => {
    await client.query('begin; select pg_advisory_xact_lock(1128423503, 2)');
    await client.query('insert into locked select coalesce(max(seq), 0) + 1, $1 from locked', [v(i)]);
    await client.query('commit');
  });
  report('    8 writers, advisory write lock, then max(seq) + 1', locked.toFixed(0));
  return rawEight;
}

async function storeFigures(url: string, rawEight: number) {
  const a = await openPostgres(url, { max: 8 });
  const b = await openPostgres(url, { max: 8 });
  try {
    const appends = async (side: PgConnection, n: number, perTransaction = 1) => {
      for (let i = 0; i < n; i++) {
        await side.store.transaction(async (tx) => {
          for (let j = 0; j < perTransaction; j++) await tx.append({ roomId: 'r1' }, event(i) as never);
        });
      }
    };
    let start = performance.now();
    await appends(a, 600);
    report('(c) pg event store appends/s, 1 writer, 1 event per transaction', (600 / ((performance.now() - start) / 1000)).toFixed(0));
    start = performance.now();
    await Promise.all(Array.from({ length: 8 }, (_, w) => appends(w % 2 ? a : b, 100)));
    const eight = 800 / ((performance.now() - start) / 1000);
    report('    8 writers on 2 instances', `${eight.toFixed(0)}  (${((100 * eight) / rawEight).toFixed(0)} % of (a) with 8 connections)`);
    start = performance.now();
    await Promise.all(Array.from({ length: 8 }, (_, w) => appends(w % 2 ? a : b, 20, 10)));
    report('    8 writers on 2 instances, groups of 10 events per transaction, events/s', (1600 / ((performance.now() - start) / 1000)).toFixed(0));

    const arrived = new Map<number, number>();
    const feed = new PgEventFeed({
      connectionString: url,
      reads: b.store,
      from: await b.store.lastSeq(),
      deliver: (events: StoredEvent[]) => {
        const now = performance.now();
        for (const e of events) arrived.set(e.seq, now);
      },
    });
    await feed.start();
    const latencies: number[] = [];
    for (let i = 0; i < 300; i++) {
      const sent = performance.now();
      const seq = await a.store.transaction(async (tx) => (await tx.append({ roomId: 'r1' }, event(i) as never)).seq);
      while (!arrived.has(seq)) await new Promise((r) => setImmediate(r));
      latencies.push(arrived.get(seq)! - sent);
    }
    await feed.stop();
    report('(d) append on A (commit included) → B\'s feed delivers it, p50 / p99 ms', `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)}`);
  } finally {
    await a.close();
    await b.close();
  }
}

async function main() {
  let cluster: Cluster | null = null;
  const base = process.env.BENCH_PG_URL;
  if (!base) {
    const bin = postgresBinDir();
    if (!bin) throw new Error('PostgreSQL is not installed (pg_config not found); set BENCH_PG_URL to measure a running one');
    cluster = await startCluster(bin);
  }
  try {
    const url = cluster ? await freshDatabase(cluster, 'bench') : base!;
    const rawEight = await ceilings(url);
    await storeFigures(url, rawEight);
    mkdirSync('.tmp', { recursive: true });
    await appFigures(cluster ? await freshDatabase(cluster, 'bench_app') : url, report);
  } finally {
    cluster?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
