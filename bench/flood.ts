// `npm run bench:flood`: 20 hostile live sockets (10 with a display token each, 10 with a staff session
// each, so no per-credential cap helps) flood `{"type":"resume","since":N}` frames, N varying over the
// last 1,000 events, and reconnect whenever they are closed. Meanwhile /api/health is probed every 20 ms
// and two tablets keep sending commands. Prints health p50/p99/max, probes answered, commands
// acknowledged, and the same figures without the flood. 127.0.0.1 only, about a minute.
// FLOOD_PROFILE=<dir> writes the server's CPU profile there (node --cpu-prof), to see where its event loop goes.
import { fork } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { openDatabase } from '../db/connection';
import { createDisplayToken } from '../server/auth/display-tokens';
import { newCaseBody } from '../tests/support/api';
import { prepareDatabase, spawnServer } from '../tests/support/process';

const HOSTILE = 20;
const EVENTS = 1050;
const FLOOD_SECONDS = Number(process.env.FLOOD_SECONDS ?? 15);
// The quiet phase lasts as long as the flood: the same tablets, the same machine, only the flood differs.
const QUIET_SECONDS = Number(process.env.QUIET_SECONDS ?? FLOOD_SECONDS);
// A tablet moves to the next patient after this many vitals, as on a ward: one case taking thousands
// would make every command, and every frame carrying that case, heavier as the bench goes on.
const VITALS_PER_CASE = 20;
const FRAMES_PER_CONNECTION = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
function request(url: string, method: string, cookie: string | null, body?: unknown): Promise<{ status: number; text: string }> {
  const target = new URL(url);
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method,
        agent,
        headers: { ...(cookie ? { cookie } : {}), ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-flood-'));
  const databasePath = join(dir, 'flood.sqlite');
  await prepareDatabase(databasePath);
  const connection = openDatabase(databasePath);
  const tokens = Array.from({ length: HOSTILE / 2 }, (_, i) => createDisplayToken(connection.db, `flood ${i}`, new Date()).token);
  connection.close();
  // Every socket here comes from 127.0.0.1, where a unit's screens come from many addresses.
  const profile = process.env.FLOOD_PROFILE;
  const server = await spawnServer(
    databasePath,
    { LOG_LEVEL: 'warn', LOGIN_RATE_LIMIT: '1000', LIVE_MAX_SOCKETS_PER_ADDRESS: '1000' },
    profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [],
  );
  const wsUrl = server.wsUrl;
  try {
    const login = async (username: string) => {
      const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'correct horse battery' }) });
      return res.headers.get('set-cookie')!.split(';')[0]!;
    };
    const coordinator = await login('coordinator');
    // One after another: sign-ins side by side count as failures until their hashes are checked.
    const nurses: string[] = [];
    for (let i = 0; i < HOSTILE / 2 + 2; i++) nurses.push(await login('nurse'));
    // A busy day: 50 patients, about 21 events each (booked, admitted, vitals).
    const VITALS = { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 };
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        const booked = JSON.parse((await request(`${server.url}/api/cases`, 'POST', coordinator, newCaseBody())).text).case;
        let version = booked.version as number;
        for (let i = 0; i < EVENTS / 50 - 1; i++) {
          const res = await request(`${server.url}/api/cases/${booked.id}/commands`, 'POST', nurses[0]!, { ...(i === 0 ? { type: 'admit' } : VITALS), expectedVersion: version });
          version = JSON.parse(res.text).case.version;
        }
      }),
    );
    const lastSeq = JSON.parse((await request(`${server.url}/api/health`, 'GET', null)).text).seq as number;

    // Two tablets recording vitals in a closed loop, one patient after another.
    const nextPatient = async (c: { id: string; version: number; vitals: number; cookie: string }) => {
      const booked = JSON.parse((await request(`${server.url}/api/cases`, 'POST', coordinator, newCaseBody())).text).case;
      const admitted = await request(`${server.url}/api/cases/${booked.id}/commands`, 'POST', c.cookie, { type: 'admit', expectedVersion: booked.version });
      Object.assign(c, { id: booked.id as string, version: JSON.parse(admitted.text).case.version as number, vitals: 0 });
    };
    const tablets = await Promise.all(
      nurses.slice(HOSTILE / 2).map(async (cookie) => {
        const c = { id: '', version: 0, vitals: 0, cookie };
        await nextPatient(c);
        return c;
      }),
    );
    let running = true;
    let acknowledged = 0;
    const commandLatencies: number[] = [];
    const tabletLoops = tablets.map(async (c) => {
      while (running) {
        const t0 = performance.now();
        const res = await request(`${server.url}/api/cases/${c.id}/commands`, 'POST', c.cookie, { ...VITALS, expectedVersion: c.version });
        if (res.status !== 200) throw new Error(`command refused: ${res.status} ${res.text}`);
        c.version = JSON.parse(res.text).case.version;
        acknowledged++;
        if (++c.vitals === VITALS_PER_CASE) await nextPatient(c);
        commandLatencies.push(performance.now() - t0);
        await sleep(20);
      }
    });

    // /api/health every 20 ms, whether or not the previous probe was answered.
    const probe = async (seconds: number) => {
      const latencies: number[] = [];
      const pending: Promise<void>[] = [];
      const until = performance.now() + seconds * 1000;
      while (performance.now() < until) {
        const t0 = performance.now();
        pending.push(request(`${server.url}/api/health`, 'GET', null).then(() => void latencies.push(performance.now() - t0)));
        await sleep(20);
      }
      return { latencies, sent: pending.length, done: Promise.all(pending) };
    };
    const summary = (latencies: number[], sent: number) =>
      `p50 ${percentile(latencies, 50).toFixed(1)} / p99 ${percentile(latencies, 99).toFixed(1)} / max ${Math.max(...latencies).toFixed(1)} ms  (${latencies.length} of ${sent} probes answered)`;

    // The server's own CPU time and its time spent runnable but waiting for a core (Linux schedstat),
    // beside the machine's load: a slow probe while the server was mostly idle or waiting for a core
    // was other processes' doing (the attacker's included), not the server's.
    const schedOf = (pid: number) => readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ').map(Number) as [number, number];
    const phase = async (seconds: number, other?: () => number | undefined) => {
      const [cpu0, wait0] = schedOf(server.child.pid!);
      const otherPid = other?.();
      const otherCpu0 = otherPid ? schedOf(otherPid)[0] : 0;
      const t0 = performance.now();
      const result = await probe(seconds);
      const ms = performance.now() - t0;
      const [cpu1, wait1] = schedOf(server.child.pid!);
      const share = (ns: number) => `${((ns / 1e6 / ms) * 100).toFixed(0)} %`;
      const attacker = otherPid ? `, attacker process CPU ${share(schedOf(otherPid)[0] - otherCpu0)}` : '';
      return {
        ...result,
        machine: `server CPU ${share(cpu1 - cpu0)} of one core, waiting for a core ${share(wait1 - wait0)}${attacker}, load average ${loadavg()[0]!.toFixed(1)}`,
      };
    };

    const acknowledgedBefore = acknowledged;
    const quiet = await phase(QUIET_SECONDS);
    await quiet.done;
    const quietCommands = acknowledged - acknowledgedBefore;
    const quietCommandLatencies = commandLatencies.splice(0);

    // The flood, from its own process: its sending must not delay the probes measured here.
    const attacker = fork(fileURLToPath(import.meta.url), ['hostile'], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, FLOOD_SETUP: JSON.stringify({ wsUrl, tokens, cookies: nurses.slice(0, HOSTILE / 2), lastSeq }) },
    });
    await new Promise((resolve) => attacker.once('message', resolve));
    const acknowledgedAtStart = acknowledged;
    attacker.send('start');
    const flood = await phase(FLOOD_SECONDS, () => attacker.pid);
    const floodCommands = acknowledged - acknowledgedAtStart;
    const floodCommandLatencies = commandLatencies.splice(0);
    const stopped = new Promise<{ connections: number; closedByServer: number; codes: Record<string, number> }>((resolve) => attacker.once('message', resolve as never));
    attacker.send('stop');
    const { connections, closedByServer, codes } = await stopped;
    attacker.kill();
    // Probes still unanswered get at most 30 s more: long enough to count a stall, bounded all the same.
    const answered = await Promise.race([flood.done.then(() => true), sleep(30_000).then(() => false)]);
    running = false;
    await Promise.race([Promise.all(tabletLoops), sleep(5000)]);

    const cpus = availableParallelism();
    console.log(`CryoDay flood bench — ${HOSTILE} hostile sockets (${HOSTILE / 2} display tokens, ${HOSTILE / 2} staff sessions), ${lastSeq} events`);
    console.log(`  quiet (${QUIET_SECONDS} s): /api/health ${summary(quiet.latencies, quiet.sent)}`);
    console.log(`                   commands acknowledged ${quietCommands}, p99 ${percentile(quietCommandLatencies, 99).toFixed(1)} ms`);
    console.log(`                   ${quiet.machine} (${cpus} cores)`);
    console.log(`  flood (${FLOOD_SECONDS} s): /api/health ${summary(flood.latencies, flood.sent)}${answered ? '' : ', the rest still unanswered 30 s later'}`);
    console.log(`                   commands acknowledged ${floodCommands}, p99 ${percentile(floodCommandLatencies, 99).toFixed(1)} ms`);
    console.log(`                   ${flood.machine} (${cpus} cores)`);
    console.log(`                   hostile connections ${connections}, closed by the server ${closedByServer} (codes ${JSON.stringify(codes)})`);
  } finally {
    // A profile is written when the process exits by itself: let it shut down.
    server.child.kill(profile ? 'SIGTERM' : 'SIGKILL');
    await server.exited;
    agent.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The attacking side: 20 sockets flooding resume frames, reconnecting whenever they are closed. */
function hostileProcess() {
  const { wsUrl, tokens, cookies, lastSeq } = JSON.parse(process.env.FLOOD_SETUP!) as { wsUrl: string; tokens: string[]; cookies: string[]; lastSeq: number };
  let flooding = false;
  const sockets = new Set<WebSocket>();
  let connections = 0;
  let closedByServer = 0;
  const codes: Record<string, number> = {};
  const hostile = (i: number) => {
    if (!flooding) return;
    const board = i < tokens.length;
    const socket = new WebSocket(board ? `${wsUrl}/api/live?batch=1&token=${tokens[i]}` : `${wsUrl}/api/live?batch=1`, board ? {} : { headers: { cookie: cookies[i - tokens.length]! } });
    sockets.add(socket);
    socket.on('open', () => {
      connections++;
      for (let f = 0; f < FRAMES_PER_CONNECTION && flooding; f++) socket.send(`{"type":"resume","since":${lastSeq - 1 - (f % 1000)}}`);
    });
    socket.on('message', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', (code) => {
      sockets.delete(socket);
      if (!flooding) return;
      closedByServer++;
      codes[code] = (codes[code] ?? 0) + 1;
      setTimeout(() => hostile(i), 50);
    });
  };
  process.on('message', (message) => {
    if (message === 'start') {
      flooding = true;
      for (let i = 0; i < HOSTILE; i++) hostile(i);
    } else {
      flooding = false;
      for (const socket of sockets) socket.terminate();
      process.send!({ connections, closedByServer, codes }, () => process.exit(0));
    }
  });
  process.send!('ready');
}

if (process.argv[2] === 'hostile') {
  hostileProcess();
} else {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
