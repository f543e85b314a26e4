// `npm run bench`: the ceilings of this machine beside the server's own figures, in one run.
//   (a) raw better-sqlite3 single-row transactions/s with the server's pragmas (WAL, synchronous=FULL)
//   (b) a bare ws server broadcasting one small message to N sockets: socket messages/s
//   (c) the real server over loopback: commands/s with 1 board; events/s to every board and
//       command→last-board latency with 50 and 500 boards.
//   (d) the server on a week and on a year of history: start-up, today's list, a day report, the
//       whole history's CSV, RSS; and (c)'s latency with 500 boards while the year is exported.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import WebSocket from 'ws';
import { applyPragmas, openDatabase } from '../db/connection';
import { createDisplayToken } from '../server/auth/display-tokens';
import { createStaff } from '../server/auth/staff';
import { HISTORY_VERSION } from '../server/demo/history';
import { seedHistory } from '../server/demo/history-seed';
import { DEFAULT_SETTINGS, addDays } from '../shared';
import { SERVER_NODE_FLAGS, bundleServer } from '../scripts/server-bundle.mjs';
import { closedLoop, get, percentile, post, signIn, sleep, untilHealthy, whileExporting } from './load';

// On the project's disk, not in a temp folder that may live in memory: ceiling (a) must include real fsyncs.
mkdirSync('.tmp', { recursive: true });
const dir = mkdtempSync(join('.tmp', 'bench-'));
const results: [string, string][] = [];
const report = (label: string, value: string) => {
  results.push([label, value]);
  console.log(`${label.padEnd(62)} ${value}`);
};

function rawSqlite(): number {
  const sqlite = new Database(join(dir, 'raw.sqlite'));
  applyPragmas(sqlite);
  sqlite.exec('create table t (id integer primary key, v text not null)');
  const insert = sqlite.prepare('insert into t (v) values (?)');
  const tx = sqlite.transaction((v: string) => insert.run(v));
  const n = 3000;
  const start = performance.now();
  for (let i = 0; i < n; i++) tx(`{"type":"VitalsRecorded","i":${i}}`);
  const perSecond = n / ((performance.now() - start) / 1000);
  sqlite.close();
  return perSecond;
}

/** N sockets that count what they receive; `seqs` holds, per socket, the seqs seen (parsed cheaply). */
async function openSockets(url: string, n: number, headers: Record<string, string> = {}) {
  const sockets: WebSocket[] = [];
  const counts = new Array<number>(n).fill(0);
  const listeners: ((socketIndex: number, data: string) => void)[] = [];
  for (let i = 0; i < n; i++) {
    const socket = new WebSocket(url, { headers });
    socket.on('message', (data) => {
      const text = data.toString();
      for (const listener of listeners) listener(i, text);
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
  }
  return { sockets, counts, listeners, close: () => sockets.forEach((s) => s.terminate()) };
}

async function bareBroadcast(n: number, messages: number): Promise<number> {
  const child = fork(join(import.meta.dirname, 'ws-broadcast-server.ts'), { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  const group = await openSockets(`ws://127.0.0.1:${port}`, n);
  let received = 0;
  const done = new Promise<void>((resolve) =>
    group.listeners.push(() => {
      if (++received === n * messages) resolve();
    }),
  );
  const start = performance.now();
  child.send({ count: messages });
  await done;
  const perSecond = received / ((performance.now() - start) / 1000);
  group.close();
  child.kill();
  return perSecond;
}

interface Server {
  child: ChildProcess;
  url: string;
  cookie: string;
  boardToken: string;
}

// The server as `npm start` runs it: its bundle, compiled once per bench run.
let serverBundle: Promise<{ path: (entry: string) => string }> | null = null;

/** `history`: a seeded file copied in first, so the server starts on months of cases. */
async function startServer(history?: string): Promise<Server & { coordinatorCookie: string; startMs: number }> {
  const databasePath = join(dir, history ? `history-${Date.now()}.sqlite` : 'server.sqlite');
  if (history) {
    copyFileSync(history, databasePath);
    // On disk before the server starts: otherwise the copy's hundreds of MB are written back during the
    // run, and every commit's fsync queues behind them (a unit's database is not freshly copied).
    const fd = openSync(databasePath, 'r+');
    fsyncSync(fd);
    closeSync(fd);
  }
  const connection = openDatabase(databasePath);
  await createStaff(connection.db, { username: 'bench-nurse', displayName: 'Bench nurse', role: 'nurse', password: 'bench-password' });
  await createStaff(connection.db, { username: 'bench-coordinator', displayName: 'Bench coordinator', role: 'coordinator', password: 'bench-password' });
  const { token } = createDisplayToken(connection.db, 'bench board', new Date());
  connection.close();
  const port = 3900 + Math.floor(Math.random() * 1000);
  // BENCH_PROFILE=1 leaves a CPU profile of the server in ./.tmp for a closer look.
  const profile = process.env.BENCH_PROFILE === '1' ? ['--cpu-prof', '--cpu-prof-dir=.tmp/profiles'] : [];
  serverBundle ??= bundleServer(['server/main.ts'], resolve(dir, 'server'));
  const child = spawn(process.execPath, [...profile, ...SERVER_NODE_FLAGS, (await serverBundle).path('server/main.ts')], {
    // 500 boards from one address with one token: a unit's boards each have their own token and address.
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: databasePath,
      LOG_LEVEL: 'warn',
      CRYODAY_DEMO: '0',
      LOGIN_RATE_LIMIT: '1000',
      LIVE_MAX_SOCKETS_PER_TOKEN: '1000',
      LIVE_MAX_SOCKETS_PER_ADDRESS: '2000',
      REPORT_WORKER_IDLE_SECONDS: '5',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const spawned = performance.now();
  const url = `http://127.0.0.1:${port}`;
  await untilHealthy(url);
  const startMs = performance.now() - spawned;
  const login = (username: string) => signIn(url, username, 'bench-password');
  return { child, url, startMs, cookie: await login('bench-nurse'), boardToken: token, coordinatorCookie: await login('bench-coordinator') }
}

/** Admitted cases, one per concurrent writer, so writers never race on a version. */
async function prepareCases(server: Server & { coordinatorCookie?: string }, count: number, tag = '') {
  const cases: { id: string; version: number }[] = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${server.url}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: server.coordinatorCookie! },
      body: JSON.stringify({
        patient: { firstName: 'Bench', lastName: `Patient ${i}`, mrn: `BENCH-${tag}-${i}-${performance.now()}`, birthDate: '1960-01-01' },
        scheduledAt: new Date().toISOString(),
        plannedTargets: [{ nerve: 'genicular', side: 'right' }],
      }),
    });
    const created = (await res.json()) as { case: { id: string; version: number } };
    cases.push(created.case);
  }
  for (const c of cases) await command(server, c, { type: 'admit' });
  return cases;
}



async function command(server: Server, c: { id: string; version: number }, body: Record<string, unknown>) {
  const { status, body: answer } = await post(server, `/api/cases/${c.id}/commands`, { expectedVersion: c.version, ...body }, server.cookie);
  if (status !== 200) throw new Error(`command failed: ${status} ${JSON.stringify(answer)}`);
  c.version = answer.case.version;
  return answer.events[0].seq as number;
}

const VITALS = { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 };

// A busy unit: 20 tablets and PCs sending at once.
const TABLETS = 20;
const blast = (server: Server, cases: { id: string; version: number }[], seconds: number) =>
  closedLoop(
    cases,
    seconds,
    (c) => command(server, c, VITALS),
    async (_, key) => (await prepareCases(server as Server & { coordinatorCookie: string }, 1, key))[0]!,
  );

const seqsIn = (text: string) => Array.from(text.matchAll(/"seq":(\d+)/g), (m) => Number(m[1]));

/** n boards on the live feed, and when each event reached the last of them. */
async function watchedBoards(server: Server, n: number) {
  const boards = await openSockets(`${server.url.replace('http', 'ws')}/api/live?batch=1&token=${server.boardToken}`, n);
  const holding = new Map<number, number>();
  const watch = { boards, reachedAll: new Map<number, number>(), cutOff: 0, pending: () => holding.size };
  for (const socket of boards.sockets) socket.once('close', () => watch.cutOff++);
  await sleep(300);
  boards.listeners.push((_i, text) => {
    if (text.startsWith('{"type":"snapshot"')) return;
    for (const seq of seqsIn(text)) {
      const held = (holding.get(seq) ?? 0) + 1;
      if (held === n) {
        holding.delete(seq);
        watch.reachedAll.set(seq, performance.now());
      } else holding.set(seq, held);
    }
  });
  return watch;
}

/**
 * 50 commands/s for 5 s, vitals only, spread over the writers' cases (one command at a time per case, as
 * versions require): the latency of each from sending it to the last board holding its event, matched after
 * the run, so an event that reaches the boards before its HTTP answer still counts.
 */
async function pacedLatencies(server: Server, writers: { id: string; version: number }[], reachedAll: Map<number, number>) {
  const rate = 50;
  const total = rate * 5;
  const chains = writers.map(() => Promise.resolve());
  const sent: { seq: number; t0: number }[] = [];
  for (let i = 0; i < total; i++) {
    const w = i % writers.length;
    const t0 = performance.now();
    chains[w] = chains[w]!.then(async () => {
      sent.push({ seq: await command(server, writers[w]!, VITALS), t0 });
    });
    await sleep(1000 / rate);
  }
  await Promise.all(chains);
  for (let i = 0; i < 100 && sent.some((c) => !reachedAll.has(c.seq)); i++) await sleep(20);
  const latencies = sent.filter((c) => reachedAll.has(c.seq)).map((c) => reachedAll.get(c.seq)! - c.t0);
  return { latencies, sent: sent.length };
}

async function withBoards(server: Server, n: number, cases: { id: string; version: number }[]) {
  const watch = await watchedBoards(server, n);
  const { reachedAll } = watch;

  // (1) Saturation: how many events per second reach every one of the n boards.
  const start = performance.now();
  const saturated = await blast(server, cases, 4);
  for (let i = 0; i < 100 && watch.pending() > 0; i++) await sleep(50);
  const deliveredToAll = reachedAll.size;
  const eventsPerSecond = deliveredToAll / ((Math.max(...reachedAll.values()) - start) / 1000);

  // (2) Open loop at 50 commands/s over ten admitted cases: command → last board.
  const writers = await prepareCases(server as Server & { coordinatorCookie: string }, 10, `latency-${n}`);
  const { latencies, sent } = await pacedLatencies(server, writers, reachedAll);
  watch.boards.close();
  return { eventsPerSecond, saturated, latencies, samples: sent, missing: sent - latencies.length, cutOff: watch.cutOff };
}

// (d) History: the same server on a week and on a year of seeded history (npm run seed:history's
// generator). Seeding a year takes minutes, so each history is seeded once into the OS temp folder,
// keyed by the generator's version, and copied for each run.
const HISTORY_ROOMS = ['Salle 1', 'Salle 2', 'Salle 3'];

async function seededHistory(days: number): Promise<string> {
  const path = join(tmpdir(), `cryoday-bench-history-v${HISTORY_VERSION}-${days}d-seed1.sqlite`);
  if (existsSync(path)) {
    console.log(`    (${days} days of history from ${path}; delete it to seed again)`);
    return path;
  }
  const partial = `${path}.partial`;
  for (const suffix of ['', '-wal', '-shm']) rmSync(partial + suffix, { force: true });
  const connection = openDatabase(partial);
  const started = performance.now();
  const lastDay = addDays(new Date().toISOString().slice(0, 10), -1);
  await seedHistory(connection, { days, lastDay, perDay: 30, seed: 1, rooms: HISTORY_ROOMS, settings: DEFAULT_SETTINGS, labelMode: 'initials' }, (p) => {
    if (p.daysDone % 60 === 0) console.log(`    seeding: ${p.daysDone}/${days} days, ${p.cases} cases, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  });
  connection.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  connection.close();
  renameSync(partial, path);
  report(`    seeding ${days} days of history (once, then cached), s`, ((performance.now() - started) / 1000).toFixed(0));
  return path;
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;


async function p50Of(times: number, work: () => Promise<unknown>) {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await work();
    ms.push(performance.now() - t0);
  }
  return percentile(ms, 50);
}

/** Samples the server's RSS every 50 ms while `work` runs; the highest. */
async function peakRss(pid: number, work: () => Promise<unknown>) {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssMb(pid));
}

async function historyFigures(label: string, days: number, underLoad: boolean) {
  const file = await seededHistory(days);
  const probe = new Database(file, { readonly: true });
  const lastDay = probe.prepare('select max(day) from cases').pluck().get() as string;
  const cases = probe.prepare('select count(*) from cases').pluck().get() as number;
  const events = probe.prepare('select count(*) from events').pluck().get() as number;
  probe.close();
  const server = await startServer(file);
  const pid = server.child.pid!;
  try {
    const from = addDays(lastDay, -Math.min(days, 366) + 1);
    const as = server.coordinatorCookie;
    report(`(d) ${label} (${cases} cases, ${events} events): start-up to first /api/health, ms`, server.startMs.toFixed(0));
    report(`    RSS after start, MB`, rssMb(pid).toFixed(0));
    report(`    today's list GET /api/cases, p50 ms`, (await p50Of(30, () => get(server, '/api/cases', as))).toFixed(1));
    report(`    day report of a past day (${lastDay}), p50 ms`, (await p50Of(30, () => get(server, `/api/reports/day?date=${lastDay}`, as))).toFixed(1));
    let csv = { status: 0, bytes: 0 };
    const t0 = performance.now();
    const peak = await peakRss(pid, async () => (csv = await get(server, `/api/reports/cases.csv?from=${from}&to=${lastDay}`, as)));
    report(`    cases.csv of the whole history: s, MB, peak RSS MB`, `${((performance.now() - t0) / 1000).toFixed(2)} s, ${(csv.bytes / 1e6).toFixed(1)} MB, ${peak.toFixed(0)} MB (status ${csv.status})`);
    if (underLoad) {
      const loaded = await peakRss(pid, () => underExports(server, from, lastDay));
      report(`    peak RSS during the exports under load, MB`, `${loaded.toFixed(0)}  (target < 250)`);
    }
    report(`    RSS at the end, MB`, rssMb(pid).toFixed(0));
    // The bench's server stops an idle report worker after REPORT_WORKER_IDLE_SECONDS=5 (30 by default).
    await sleep(6_000);
    report(`    RSS once the idle report worker has stopped, MB`, rssMb(pid).toFixed(0));
  } finally {
    server.child.kill('SIGTERM');
    await sleep(300);
  }
}

/**
 * Issue 15's figure: 500 boards and 50 commands/s while the year's CSV and the year's reports are
 * produced one after the other without a pause, and /api/health probed every 20 ms.
 */
async function underExports(server: Server & { coordinatorCookie: string }, from: string, to: string) {
  const n = 500;
  const watch = await watchedBoards(server, n);
  const writers = await prepareCases(server, 10, 'history');
  const heavy = [`/api/reports/cases.csv?from=${from}&to=${to}`, `/api/reports/doses?from=${from}&to=${to}`, `/api/reports/range?from=${from}&to=${to}&groupBy=month`];
  const { result, health, produced } = await whileExporting(server, server.coordinatorCookie, heavy, () => pacedLatencies(server, writers, watch.reachedAll));
  const { latencies, sent } = result;
  watch.boards.close();
  report(
    `    500 boards at 50 commands/s during the exports: command → last board p50 / p99 ms`,
    `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)}  (target p99 < 50; ${latencies.length} of ${sent} commands, ${watch.cutOff} boards cut off)`,
  );
  report(
    `    /api/health every 20 ms during the exports: p50 / p99 / max ms`,
    `${percentile(health, 50).toFixed(1)} / ${percentile(health, 99).toFixed(1)} / ${Math.max(...health).toFixed(1)}  (target < 20; ${health.length} probes)`,
  );
  report(`    exports produced meanwhile`, Object.entries(produced).map(([k, v]) => `${v} × ${k}`).join(', '));
}

async function main() {
  console.log(`CryoDay bench — ${cpus().length} cores, Node ${process.version}\n`);
  // BENCH_HISTORY=only runs the history rows (d) alone.
  if (process.env.BENCH_HISTORY === 'only') {
    try {
      await historyFigures('one week of history', 7, false);
      await historyFigures('one year of history', 365, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return;
  }
  const raw = rawSqlite();
  report('(a) raw better-sqlite3 transactions/s (WAL, synchronous=FULL)', raw.toFixed(0));

  const bare = await bareBroadcast(500, 200);
  report('(b) bare ws broadcast to 500 sockets, socket messages/s', bare.toFixed(0));
  report('    naive per-event ceiling for 500 boards, events/s', (bare / 500).toFixed(0));

  const server = (await startServer()) as Server & { coordinatorCookie: string };
  try {
    const cases = await prepareCases(server, TABLETS);
    const single = await openSockets(`${server.url.replace('http', 'ws')}/api/live?batch=1&token=${server.boardToken}`, 1);
    const oneBoard = await blast(server, cases, 5);
    single.close();
    const commandsPerSecond = oneBoard.commands / oneBoard.seconds;
    report(`(c) server commands/s with 1 board (${TABLETS} tablets, closed loop)`, `${commandsPerSecond.toFixed(0)}  (${((100 * commandsPerSecond) / raw).toFixed(0)} % of (a); target ≥ 40 %)`);
    for (const n of [50, 500]) {
      const r = await withBoards(server, n, cases);
      report(`    ${n} boards: events/s delivered to every board`, `${r.eventsPerSecond.toFixed(0)}${n === 500 ? `  (naive ceiling ${(bare / 500).toFixed(0)})` : ''}`);
      report(
        `    ${n} boards at 50 commands/s: command → last board p50 / p99 ms`,
        `${percentile(r.latencies, 50).toFixed(1)} / ${percentile(r.latencies, 99).toFixed(1)}${n === 500 ? '  (target p99 < 50)' : ''}  (${r.latencies.length} of ${r.samples} commands, ${r.missing} never reached every board, ${r.cutOff} boards cut off)`,
      );
    }
  } finally {
    server.child.kill('SIGTERM');
    await sleep(300);
  }
  try {
    // BENCH_HISTORY=0 skips the history rows (seeding a year the first time takes minutes).
    if (process.env.BENCH_HISTORY !== '0') {
      await historyFigures('one week of history', 7, false);
      await historyFigures('one year of history', 365, true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
