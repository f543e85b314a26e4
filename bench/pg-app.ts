// `npm run bench:pg`, (e): the app itself on PostgreSQL, two instances as `npm start` runs them (the
// server's bundle, each its own process) on one database, 500 boards split over them (250 each):
//   - 20 tablets in a closed loop, split over both instances → commands/s
//   - 50 commands/s → command sent to one instance → its event held by the last of the 500 boards, p50 / p99 ms
//   - a year of cases (9,000, copies of a tablet's case) exported from instance A without a pause (cases.csv,
//     the dose report, the range report): how long each takes, and meanwhile the same 50 commands/s and
//     A's /api/health every 20 ms, p50 / p99: what A's report worker reading the pages costs the rest
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { migratePostgres, openPostgres } from '../db/pg/connection';
import { PgAccounts } from '../server/auth/pg-accounts';
import { SERVER_NODE_FLAGS, bundleServer } from '../scripts/server-bundle.mjs';
import { closeConnections, closedLoop, get, percentile, post, signIn, sleep, untilHealthy, whileExporting } from './load';

const PASSWORD = 'bench-password';
const TABLETS = 20;
const BOARDS = 500;
const VITALS = { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 };

interface Instance {
  child: ChildProcess;
  url: string;
  nurse: string;
  coordinator: string;
}
interface Case {
  id: string;
  version: number;
  on: Instance;
}




async function command(c: Case, body: Record<string, unknown>): Promise<number> {
  const { status, body: answer } = await post(c.on, `/api/cases/${c.id}/commands`, { expectedVersion: c.version, ...body }, c.on.nurse);
  if (status !== 200) throw new Error(`command failed: ${status} ${JSON.stringify(answer)}`);
  c.version = answer.case.version;
  return answer.events[0].seq as number;
}

/** A case booked and admitted through `on`, so each tablet writes its own case and never races a version. */
async function admittedCase(on: Instance, tag: string): Promise<Case> {
  const { status, body } = await post(
    on,
    '/api/cases',
    {
      patient: { firstName: 'Bench', lastName: `Patient ${tag}`, mrn: `BENCH-PG-${tag}-${performance.now()}`, birthDate: '1960-01-01' },
      scheduledAt: new Date().toISOString(),
      plannedTargets: [{ nerve: 'genicular', side: 'right' }],
    },
    on.coordinator,
  );
  if (status !== 201 && status !== 200) throw new Error(`booking failed: ${status} ${JSON.stringify(body)}`);
  const c: Case = { id: body.case.id, version: body.case.version, on };
  await command(c, { type: 'admit' });
  return c;
}

async function startInstance(script: string, databaseUrl: string): Promise<Instance> {
  const port = 4900 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, script], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      CRYODAY_DEMO: '0',
      LOGIN_RATE_LIMIT: '1000',
      LIVE_MAX_SOCKETS_PER_TOKEN: '1000',
      LIVE_MAX_SOCKETS_PER_ADDRESS: '2000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await untilHealthy(url);
  return { child, url, nurse: await signIn(url, 'bench-nurse', PASSWORD), coordinator: await signIn(url, 'bench-coordinator', PASSWORD) };
}

/** `perInstance` boards on each instance, and when each seq reached the last of all of them. */
async function boardsOn(instances: Instance[], perInstance: number, token: string) {
  const total = instances.length * perInstance;
  const held = new Map<number, number>();
  const reachedAll = new Map<number, number>();
  const sockets: WebSocket[] = [];
  let cutOff = 0;
  for (const instance of instances) {
    for (let i = 0; i < perInstance; i++) {
      const socket = new WebSocket(`${instance.url.replace('http', 'ws')}/api/live?batch=1&token=${token}`);
      socket.on('message', (data) => {
        const text = data.toString();
        if (text.startsWith('{"type":"snapshot"')) return;
        for (const m of text.matchAll(/"seq":(\d+)/g)) {
          const seq = Number(m[1]);
          const n = (held.get(seq) ?? 0) + 1;
          if (n === total) {
            held.delete(seq);
            reachedAll.set(seq, performance.now());
          } else held.set(seq, n);
        }
      });
      socket.once('close', () => cutOff++);
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
    }
  }
  await sleep(300);
  return { reachedAll, pending: () => held.size, cutOff: () => cutOff, close: () => sockets.forEach((s) => s.terminate()) };
}

async function paced(writers: Case[], reachedAll: Map<number, number>) {
  const rate = 50;
  const chains = writers.map(() => Promise.resolve());
  const sent: { seq: number; t0: number }[] = [];
  for (let i = 0; i < rate * 5; i++) {
    const w = i % writers.length;
    const t0 = performance.now();
    chains[w] = chains[w]!.then(async () => {
      sent.push({ seq: await command(writers[w]!, VITALS), t0 });
    });
    await sleep(1000 / rate);
  }
  await Promise.all(chains);
  for (let i = 0; i < 100 && sent.some((c) => !reachedAll.has(c.seq)); i++) await sleep(20);
  const latencies = sent.filter((c) => reachedAll.has(c.seq)).map((c) => reachedAll.get(c.seq)! - c.t0);
  return { latencies, sent: sent.length };
}

/** The accounts and the board's token, written once before the instances start. */
async function prepare(url: string): Promise<string> {
  await migratePostgres(url);
  const connection = await openPostgres(url, { max: 2 });
  try {
    const accounts = new PgAccounts(connection.pool);
    await accounts.createStaff({ username: 'bench-nurse', displayName: 'Bench nurse', role: 'nurse', password: PASSWORD });
    await accounts.createStaff({ username: 'bench-coordinator', displayName: 'Bench coordinator', role: 'coordinator', password: PASSWORD });
    return (await accounts.createDisplayToken('bench board', new Date())).token;
  } finally {
    await connection.close();
  }
}

const YEAR_CASES = 9000;

/** A year of past cases, copies of `caseId`'s row under ids of their own, 25 a day; the range it spans. */
async function seedYear(url: string, caseId: string): Promise<{ from: string; to: string }> {
  const connection = await openPostgres(url, { max: 1 });
  try {
    await connection.pool.query(
      `insert into cases (id, patient_id, day, scheduled_at, stage, room_id, version, state, projection_version, updated_at)
       select 'bench-year-' || g, c.patient_id, to_char(x.d, 'YYYY-MM-DD'),
              to_char(x.d + make_interval(mins => 480 + (g / 365) * 15), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              c.stage, c.room_id, c.version, jsonb_set(c.state, '{id}', to_jsonb('bench-year-' || g)), c.projection_version, c.updated_at
       from cases c, generate_series(1, $2::int) g, lateral (select (current_date - 1 - (g % 365))::timestamp as d) x
       where c.id = $1`,
      [caseId, YEAR_CASES],
    );
    const { rows } = await connection.pool.query<{ from: string; to: string }>(
      `select min(day) as "from", max(day) as "to" from cases where id like 'bench-year-%'`,
    );
    return rows[0]!;
  } finally {
    await connection.close();
  }
}

async function duringExports(instances: Instance[], writers: Case[], reachedAll: Map<number, number>, year: { from: string; to: string }, report: (label: string, value: string) => void) {
  const a = instances[0]!;
  const range = `from=${year.from}&to=${year.to}`;
  const heavy = [`/api/reports/cases.csv?${range}`, `/api/reports/doses?${range}`, `/api/reports/range?${range}&groupBy=month`];
  const once: string[] = [];
  for (const path of heavy) {
    const t0 = performance.now();
    const { status, bytes } = await get(a, path, a.coordinator);
    once.push(`${path.split('?')[0]!.replace('/api/reports/', '')} ${((performance.now() - t0) / 1000).toFixed(2)} s ${(bytes / 1e6).toFixed(1)} MB (${status})`);
  }
  report(`    a year (${YEAR_CASES} cases) read from A alone`, once.join(', '));
  const { result, health, produced } = await whileExporting(a, a.coordinator, heavy, () => paced(writers, reachedAll));
  const { latencies, sent } = result;
  report(
    `    the same 50 commands/s while A exports the year: command → last board, p50 / p99 ms`,
    `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)}  (${latencies.length} of ${sent} commands)`,
  );
  report(`    A's /api/health every 20 ms meanwhile: p50 / p99 / max ms`, `${percentile(health, 50).toFixed(1)} / ${percentile(health, 99).toFixed(1)} / ${Math.max(...health).toFixed(1)}`);
  report(`    exports produced meanwhile`, Object.entries(produced).map(([k, v]) => `${v} × ${k}`).join(', '));
}

export async function appFigures(url: string, report: (label: string, value: string) => void) {
  const token = await prepare(url);
  const dir = mkdtempSync(join('.tmp', 'bench-pg-'));
  const bundle = await bundleServer(['server/main.ts'], resolve(dir, 'server'));
  const script = bundle.path('server/main.ts');
  const instances = [await startInstance(script, url), await startInstance(script, url)];
  try {
    const tablets = await Promise.all(Array.from({ length: TABLETS }, (_, i) => admittedCase(instances[i % 2]!, `tablet-${i}`)));
    const boards = await boardsOn(instances, BOARDS / 2, token);
    const loop = await closedLoop(tablets, 5, (c) => command(c, VITALS), (c, key) => admittedCase(c.on, key));
    const perSecond = loop.commands / loop.seconds;
    report(`(e) the app, 2 instances, ${BOARDS} boards (250 each), ${TABLETS} tablets in a closed loop: commands/s`, perSecond.toFixed(0));
    for (let i = 0; i < 100 && boards.pending() > 0; i++) await sleep(50);
    const writers = await Promise.all(Array.from({ length: 10 }, (_, i) => admittedCase(instances[i % 2]!, `paced-${i}`)));
    const { latencies, sent } = await paced(writers, boards.reachedAll);
    report(
      `    50 commands/s over both instances: command → last of the ${BOARDS} boards, p50 / p99 ms`,
      `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)}  (${latencies.length} of ${sent} commands, ${boards.cutOff()} boards cut off)`,
    );
    const year = await seedYear(url, tablets[0]!.id);
    await duringExports(instances, writers, boards.reachedAll, year, report);
    boards.close();
  } finally {
    for (const instance of instances) instance.child.kill('SIGTERM');
    await sleep(300);
    closeConnections();
    rmSync(dir, { recursive: true, force: true });
  }
}
