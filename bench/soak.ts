// `npm run soak -- [minutes]`: a busy day on a scaled clock. 500 wall boards stay connected (and
// reconnect with resume if dropped) while 10 lanes of a nurse tablet and a radiologist tablet drive
// patients from booking to discharge, observation shortened to one minute. Prints the server's
// RSS over time, commands sent, and whether any board missed or repeated an event.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { COMPLETE_CHECKLIST, newCaseBody } from '../tests/support/api';
import { SIGN_OUT, TIME_OUT } from '../tests/support/day';
import { prepareDatabase, spawnServer } from '../tests/support/process';

const minutes = Number(process.argv[2] ?? 10);
const BOARDS = Number(process.env.SOAK_BOARDS ?? 500);
const LANES = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const jitter = () => 300 + Math.random() * 700;

const rssMiB = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-soak-'));
  const databasePath = join(dir, 'soak.sqlite');
  const { boardToken } = await prepareDatabase(databasePath);
  const rooms = Array.from({ length: LANES }, (_, i) => `Salle ${i + 1}`).join(',');
  // 500 boards and 20 tablets from one address with one token: a unit's boards each have their own.
  const server = await spawnServer(databasePath, {
    OBSERVATION_MINUTES: '1',
    SEDATED_OBSERVATION_MINUTES: '1',
    ROOMS: rooms,
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT: '1000',
    LIVE_MAX_SOCKETS_PER_TOKEN: '1000',
    LIVE_MAX_SOCKETS_PER_ADDRESS: '2000',
  });
  const pid = server.child.pid!;
  const login = async (username: string) => {
    const res = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'correct horse battery' }) });
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };
  const cookies = { nurse: await login('nurse'), radiologist: await login('radiologist'), coordinator: await login('coordinator') };
  let commands = 0;
  let refused = 0;
  const post = async (who: keyof typeof cookies, path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookies[who] }, body: JSON.stringify(body) });
    commands++;
    const answer = await res.json();
    if (res.status >= 300) {
      refused++;
      throw new Error(`${path} ${JSON.stringify(body)} → ${res.status} ${answer.rule ?? answer.code}`);
    }
    return answer;
  };

  // Boards: each tracks the last seq it holds; on close it reconnects with ?since= and must continue exactly.
  let drops = 0;
  let gaps = 0;
  let received = 0;
  const boards = Array.from({ length: BOARDS }, () => ({ last: 0, socket: null as WebSocket | null, stopped: false }));
  const connect = (board: (typeof boards)[number]) => {
    const socket = new WebSocket(`${server.wsUrl}/api/live?batch=1&token=${boardToken}${board.last ? `&since=${board.last}` : ''}`);
    board.socket = socket;
    socket.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('{"type":"snapshot"')) {
        board.last = JSON.parse(text).seq;
        return;
      }
      for (const m of text.matchAll(/"type":"event","seq":(\d+)/g)) {
        const seq = Number(m[1]);
        if (seq !== board.last + 1) gaps++;
        board.last = seq;
        received++;
      }
    });
    socket.on('close', () => {
      if (board.stopped) return;
      drops++;
      setTimeout(() => connect(board), 200);
    });
    socket.on('error', () => undefined);
  };
  for (const board of boards) {
    connect(board);
    await sleep(2);
  }
  await sleep(2000);

  const startRss = rssMiB(pid);
  const samples: string[] = [`0 min: ${startRss.toFixed(1)} MiB`];
  const start = performance.now();
  const until = start + minutes * 60_000;
  let discharged = 0;

  const lane = async (index: number) => {
    const roomId = `room-${index + 1}`;
    while (performance.now() < until - 90_000) {
      const booked = await post('coordinator', '/api/cases', newCaseBody({ plannedRoomId: roomId }));
      const c = { id: booked.case.id as string, version: booked.case.version as number };
      const send = async (who: 'nurse' | 'radiologist', command: Record<string, unknown>) => {
        const answer = await post(who, `/api/cases/${c.id}/commands`, { expectedVersion: c.version, ...command });
        c.version = answer.case.version;
        await sleep(jitter());
      };
      await send('nurse', { type: 'admit' });
      await send('nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST });
      await send('nurse', { type: 'record_vitals', heartRate: 75, systolic: 130, diastolic: 80, spo2: 98 });
      await send('nurse', { type: 'mark_ready' });
      await send('nurse', { type: 'enter_room', roomId });
      await send('nurse', { type: 'confirm_time_out', ...TIME_OUT, targets: [{ nerve: 'genicular', side: 'right' }] });
      await send('radiologist', { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 5 });
      await send('radiologist', { type: 'position_probe', target: { nerve: 'genicular', side: 'right' }, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } });
      for (let cycle = 0; cycle < 2; cycle++) {
        await send('radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 120 });
        // A freeze that ends with a temperature lasts at least 30 s (freeze_too_short).
        await sleep(31_000);
        await send('radiologist', { type: 'end_freeze', lowestTempC: -80, iceBallMm: 9, thawMode: 'passive' });
        await send('radiologist', { type: 'end_thaw' });
      }
      await send('radiologist', { type: 'remove_probe' });
      await send('nurse', { type: 'apply_dressing' });
      await send('nurse', { type: 'confirm_sign_out', ...SIGN_OUT });
      await send('nurse', { type: 'start_observation' });
      await post('nurse', `/api/rooms/${roomId}/commands`, { type: 'room_ready' });
      await sleep(50_000);
      await send('nurse', { type: 'record_vitals', heartRate: 72, systolic: 124, diastolic: 78, spo2: 98 });
      await send('nurse', { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 });
      while (true) {
        try {
          await send('nurse', { type: 'discharge', escortConfirmed: true, instructionsGiven: true });
          break;
        } catch {
          await sleep(2000);
        }
      }
      discharged++;
    }
  };
  const sampler = setInterval(() => samples.push(`${((performance.now() - start) / 60_000).toFixed(0)} min: ${rssMiB(pid).toFixed(1)} MiB`), 60_000);
  await Promise.all(Array.from({ length: LANES }, (_, i) => lane(i)));
  while (performance.now() < until) await sleep(1000);
  clearInterval(sampler);
  await sleep(2000);
  const endRss = rssMiB(pid);
  const lastSeq = (await (await fetch(`${server.url}/api/health`)).json()).seq;
  const behind = boards.filter((b) => b.last !== lastSeq).length;
  for (const board of boards) {
    board.stopped = true;
    board.socket?.close();
  }
  server.child.kill('SIGTERM');
  await server.exited;
  rmSync(dir, { recursive: true, force: true });

  console.log(`soak: ${minutes} min, ${BOARDS} boards, ${LANES * 2} tablets`);
  console.log(`  commands sent ${commands}, refused ${refused} (discharges tried before the observation minimum), patients discharged ${discharged}`);
  console.log(`  events delivered to boards ${received}; drops ${drops}; gaps or repeats ${gaps}; boards not at the last seq ${behind}`);
  console.log(`  server RSS: start ${startRss.toFixed(1)} MiB, end ${endRss.toFixed(1)} MiB`);
  console.log(`  RSS samples: ${samples.join(' · ')}`);
  if (gaps > 0 || behind > 0) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
