import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { scheduleCase } from '../../server/cases/execute';
import { loadConfig } from '../../server/config';
import { ReplayWindow } from '../../server/live/replay-window';
import { PENALTY_MS, RESUME_LIMIT } from '../../server/plugins/live';
import { Api, LiveClient, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { withinToday } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';

const snapshotted = async (client: LiveClient) => {
  await client.waitFor((m) => m[0]?.type === 'snapshot');
  return client;
};

/** A handshake refused before the upgrade: its HTTP status and problem+json body. */
function refusedHandshake(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: { status: number; code: string; detail: string } }>((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => reject(new Error('handshake accepted')));
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
    });
    socket.once('error', () => undefined);
  });
}

describe('live feed: a socket flooding resume requests', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;

  beforeAll(async () => {
    server = await startServer({ LIVE_MESSAGE_BUDGET: '20' });
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    for (let i = 0; i < 300; i++) await bookCaseInThePast(server, staff.coordinator, withinToday(7));
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  // Side by side: each floods with its own credential and waits out its own penalty.
  for (const kind of ['board', 'staff'] as const) {
    it.concurrent(`closes a ${kind} socket past its message budget with 4429, and refuses its credential a new socket for a while`, async () => {
      const token = (await server.app.accounts.createDisplayToken('Mur', new Date())).token;
      const flooder = await snapshotted(kind === 'board' ? LiveClient.board(server, token, '&batch=1') : LiveClient.staff(server, nurse, '?batch=1'));
      const last = await server.app.store.lastSeq();
      for (let i = 0; i < 2000; i++) flooder.socket.send(JSON.stringify({ type: 'resume', since: last - 1 - (i % 299) }));
      await expect(flooder.closed).resolves.toMatchObject({ code: 4429 });
      // One resume at a time, one a second: 2,000 requests got one replay at most.
      expect(flooder.messages.filter((m) => m.type === 'resumed').length).toBeLessThanOrEqual(1);
      // Reconnecting at once does not buy a fresh budget: refused before the upgrade, translated.
      const url = kind === 'board' ? `${server.wsUrl}/api/live?token=${token}&since=${last - 3}` : `${server.wsUrl}/api/live?since=${last - 3}`;
      const headers: Record<string, string> = kind === 'board' ? {} : { cookie: nurse.cookie };
      const refused = await refusedHandshake(url, { ...headers, 'accept-language': 'fr' });
      expect(refused).toMatchObject({ status: 429, body: { code: 'too_many_requests' } });
      expect(refused.body.detail).toMatch(/trop de messages/);
      // Once the penalty is over, the same screen reconnects and resumes as usual.
      await new Promise((r) => setTimeout(r, PENALTY_MS));
      const again = new LiveClient(url, headers);
      await again.waitFor((m) => m.some((x) => x.type === 'resumed'));
      expect(again.events().map((e) => e.seq)).toEqual([last - 2, last - 1, last]);
      again.close();
    }, 20_000);
  }

  it('keeps a screen that pings and resumes as screens do well inside its budget', async () => {
    const client = await snapshotted(LiveClient.staff(server, await Api.login(server, 'nurse')));
    const seq = client.messages[0].seq;
    for (let i = 0; i < 10; i++) client.socket.send(JSON.stringify({ type: 'ping' }));
    client.socket.send(JSON.stringify({ type: 'resume', since: seq - 1 }));
    await client.waitFor((m) => m.some((x) => x.type === 'resumed') && m.filter((x) => x.type === 'pong').length === 10);
    expect(client.closeCode).toBeNull();
    client.close();
  });
});

describe('live feed: replays from memory are the replays the log gives', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;

  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    // A day's list heavier than any replay below: a replay weighing more than the snapshot is answered with the snapshot.
    for (let i = 0; i < 30; i++) await bookCaseInThePast(server, staff.coordinator, withinToday(60));
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  /** What a window read straight from the database (as every resume was built before) gives for `since`. */
  const fromTheLog = async (since: number, audience: 'staff' | 'board') => {
    const fresh = new ReplayWindow(server.app.store, RESUME_LIMIT, () => ({
      now: new Date().toISOString(),
      settings: server.app.settings,
      labelMode: server.app.config.boardLabel,
    }));
    await fresh.catchUp(await server.app.store.lastSeq());
    return fresh.replay(since, audience, await server.app.store.rooms())!.map((f) => JSON.parse(f));
  };

  const replayed = async (client: LiveClient) => {
    await client.waitFor((m) => m.some((x) => x.type === 'resumed'));
    client.close();
    return client.messages.filter((m) => m.type === 'event');
  };

  it('gives every since the same events, states and rooms, including events stored but never published', async () => {
    const token = (await server.app.accounts.createDisplayToken('Mur', new Date())).token;
    const ids = await Promise.all(Array.from({ length: 4 }, () => bookCaseInThePast(server, staff.coordinator, withinToday(7))));
    const start = await server.app.store.lastSeq();
    // A first resume fills the window from the log; everything after reaches it as it is published.
    await replayed(LiveClient.staff(server, nurse, `?since=${start - 1}`));
    for (const id of ids) await nurse.command(id, { type: 'admit' });
    await nurse.command(ids[0]!, { type: 'cancel', reason: 'no_show' });
    // Committed without being published (as between a commit and its publication): the replay must still hold it.
    const coordinator = { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' as const };
    const context = { settings: server.app.settings, labelMode: server.app.config.boardLabel, actor: coordinator, now: new Date(Date.now() - withinToday(7) * 60_000) };
    await server.app.groupCommit.run((tx) => scheduleCase({ ...context, tx }, newCaseBody() as never));
    const afterHidden = await server.app.store.lastSeq();
    await nurse.command(ids[1]!, { type: 'cancel', reason: 'equipment' });
    const last = await server.app.store.lastSeq();

    for (let since = start - 3; since < last; since++) {
      const staffEvents = await replayed(LiveClient.staff(server, nurse, `?since=${since}`));
      expect(staffEvents).toEqual(await fromTheLog(since, 'staff'));
      expect(staffEvents.map((e) => e.seq)).toEqual(Array.from({ length: last - since }, (_, i) => since + 1 + i));
      const boardEvents = await replayed(LiveClient.board(server, token, `&since=${since}`));
      expect(boardEvents).toEqual(await fromTheLog(since, 'board'));
    }
    expect(afterHidden).toBeLessThan(last);
    // The current rooms ride on the last replayed event only, as live.
    const lastOnly = await replayed(LiveClient.staff(server, nurse, `?since=${start}`));
    expect(lastOnly.filter((e) => e.rooms).map((e) => e.seq)).toEqual([last]);
  });
});

describe('live feed: sockets per display token and per session', () => {
  let server: TestServer;
  let nurse: Api;

  beforeAll(async () => {
    server = await startServer({ LIVE_MAX_SOCKETS_PER_TOKEN: '2', LIVE_MAX_SOCKETS_PER_SESSION: '3' });
    await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('holds at most the cap per display token: the newest sockets stay, the oldest are closed with 4430', async () => {
    const { info, token } = await server.app.accounts.createDisplayToken('Mur', new Date());
    const boards: LiveClient[] = [];
    for (let i = 0; i < 12; i++) boards.push(await snapshotted(LiveClient.board(server, token)));
    await expect.poll(() => boards.filter((b) => b.closeCode === null).length).toBe(2);
    expect(boards.slice(0, 10).map((b) => b.closeCode)).toEqual(new Array(10).fill(4430));
    expect([...server.app.live.clients].filter((c) => c.displayTokenId === info.id)).toHaveLength(2);
    // Another token is not affected.
    const other = await snapshotted(LiveClient.board(server, (await server.app.accounts.createDisplayToken('Accueil', new Date())).token));
    expect(boards[11]!.closeCode).toBeNull();
    expect(other.closeCode).toBeNull();
    for (const b of [...boards, other]) b.close();
  });

  it('holds at most the cap per session, and a second session of the same nurse keeps its own', async () => {
    const tablets: LiveClient[] = [];
    for (let i = 0; i < 5; i++) tablets.push(await snapshotted(LiveClient.staff(server, nurse)));
    await expect.poll(() => tablets.filter((t) => t.closeCode === null).length).toBe(3);
    expect(tablets.slice(0, 2).map((t) => t.closeCode)).toEqual([4430, 4430]);
    const elsewhere = await snapshotted(LiveClient.staff(server, await Api.login(server, 'nurse')));
    await new Promise((r) => setTimeout(r, 100));
    expect(elsewhere.closeCode).toBeNull();
    expect(tablets.filter((t) => t.closeCode === null)).toHaveLength(3);
    for (const t of [...tablets, elsewhere]) t.close();
  });

  it('never refuses a room of boards reconnecting at once, two sockets each (a half-open one left behind)', async () => {
    const tokens = await Promise.all(Array.from({ length: 40 }, async (_, i) => (await server.app.accounts.createDisplayToken(`Mur ${i}`, new Date())).token));
    const boards = tokens.flatMap((t) => [LiveClient.board(server, t, '&batch=1'), LiveClient.board(server, t, '&batch=1')]);
    await Promise.all(boards.map(snapshotted));
    await new Promise((r) => setTimeout(r, 100));
    expect(boards.filter((b) => b.closeCode !== null)).toEqual([]);
    for (const b of boards) b.close();
  });
});

describe('live feed: sockets per address', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ LIVE_MAX_SOCKETS_PER_ADDRESS: '5' });
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('refuses the handshake past the cap with 429 problem+json, translated, and accepts again once a socket closed', async () => {
    const token = async () => (await server.app.accounts.createDisplayToken('Mur', new Date())).token;
    const held = [];
    for (let i = 0; i < 5; i++) held.push(await snapshotted(LiveClient.board(server, await token())));
    const url = `${server.wsUrl}/api/live?token=${encodeURIComponent(await token())}`;
    const refused = await refusedHandshake(url, { 'accept-language': 'fr' });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ status: 429, code: 'too_many_requests' });
    expect(refused.body.detail).toMatch(/Trop de connexions/);
    expect((await refusedHandshake(url, { 'accept-language': 'en' })).body.detail).toMatch(/Too many live connections/);
    // Unauthenticated sockets count too: each holds a file descriptor until it is closed.
    expect((await refusedHandshake(`${server.wsUrl}/api/live`)).status).toBe(429);
    expect(server.app.live.clients.size).toBe(5);

    held[0]!.close();
    await held[0]!.closed;
    await expect.poll(() => server.app.live.socketsFrom('127.0.0.1')).toBe(4);
    const admitted = await snapshotted(new LiveClient(url));
    expect(admitted.closeCode).toBeNull();
    for (const c of [...held, admitted]) c.close();
  });
});

describe('live feed limits: configuration', () => {
  it.each([
    ['LIVE_MAX_SOCKETS_PER_TOKEN', '0'],
    ['LIVE_MAX_SOCKETS_PER_SESSION', 'many'],
    ['LIVE_MAX_SOCKETS_PER_ADDRESS', '-3'],
    ['LIVE_MESSAGE_BUDGET', '2.5'],
  ])('stops the start on %s=%s with a one-line reason naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`^${name} .*\\(got "${value}"\\)$`));
  });

  it('has defaults a unit can run on', () => {
    expect(loadConfig({}).liveLimits).toEqual({ socketsPerToken: 4, socketsPerSession: 8, socketsPerAddress: 256, messagesPerMinute: 30 });
  });
});

describe('live feed: a replay never costs more than a snapshot', () => {
  const BUFFER_KB = 64;
  let server: TestServer;
  let nurse: Api;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let vitalsCase: string;
  let firstVitals: number;
  const VITALS = { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 };

  beforeAll(async () => {
    server = await startServer({ LIVE_MAX_BUFFER_KB: String(BUFFER_KB) });
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    const ids = await Promise.all(Array.from({ length: 3 }, () => bookCaseInThePast(server, staff.coordinator, withinToday(30))));
    vitalsCase = ids[0]!;
    await nurse.command(vitalsCase, { type: 'admit' });
    firstVitals = (await server.app.store.lastSeq()) + 1;
    // One tablet recording vitals all morning: every event frame carries the whole case, its vitals included.
    for (let i = 0; i < 90; i++) await nurse.command(vitalsCase, VITALS);
  }, 60_000);
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  /** A window read straight from the log, to its end, and its replay from `since`. */
  const replayOf = async (since: number, audience: 'staff' | 'board', maxBytes?: number) => {
    const window = new ReplayWindow(server.app.store, RESUME_LIMIT, () => ({
      now: new Date().toISOString(),
      settings: server.app.settings,
      labelMode: server.app.config.boardLabel,
    }));
    await window.catchUp(await server.app.store.lastSeq());
    return window.replay(since, audience, await server.app.store.rooms(), maxBytes);
  };
  const replayBytes = async (since: number, audience: 'staff' | 'board') =>
    (await replayOf(since, audience))!.reduce((sum, frame) => sum + Buffer.byteLength(frame), 0);
  const open = async (audience: 'staff' | 'board', query: string) =>
    audience === 'staff'
      ? LiveClient.staff(server, nurse, `?${query}`)
      : LiveClient.board(server, (await server.app.accounts.createDisplayToken('Mur', new Date())).token, `&${query}`);
  const snapshotBytes = async (audience: 'staff' | 'board') => {
    const client = await snapshotted(await open(audience, 'batch=0'));
    client.close();
    return Buffer.byteLength(client.frames[0]!);
  };

  it('gives the window the frames when they weigh the limit, and null one byte under it', async () => {
    const since = firstVitals + 9;
    const current = await server.app.store.lastSeq();
    for (const audience of ['staff', 'board'] as const) {
      const frames = (await replayOf(since, audience))!;
      const bytes = frames.reduce((sum, frame) => sum + Buffer.byteLength(frame), 0);
      expect(frames).toHaveLength(current - since);
      expect(await replayOf(since, audience, bytes - 1)).toBeNull();
      expect((await replayOf(since, audience, bytes))?.map((f) => JSON.parse(f).seq)).toEqual(frames.map((f) => JSON.parse(f).seq));
    }
  });

  for (const audience of ['staff', 'board'] as const) {
    it(`replays exactly the missed events to a ${audience} screen a few events behind`, async () => {
      // A case just booked and admitted: two small frames, lighter than the day's snapshot.
      await nurse.command(await bookCaseInThePast(server, staff.coordinator, withinToday(5)), { type: 'admit' });
      const last = await server.app.store.lastSeq();
      expect(await replayBytes(last - 2, audience)).toBeLessThan(await snapshotBytes(audience));
      const client = await open(audience, `since=${last - 2}`);
      await client.waitFor((m) => m.some((x) => x.type === 'resumed'));
      expect(client.messages.map((m) => m.type)).toEqual(['event', 'event', 'resumed']);
      expect(client.events().map((e) => e.seq)).toEqual([last - 1, last]);
      client.close();
    });

    it(`sends a ${audience} screen whose replay outweighs the buffer limit and the snapshot the snapshot, and keeps it live`, async () => {
      const since = firstVitals - 1;
      const bytes = await replayBytes(since, audience);
      // Sent as a replay, this would have cut the socket off (1006) before its `resumed`, at every reconnect.
      if (audience === 'staff') expect(bytes).toBeGreaterThan(BUFFER_KB * 1024);
      expect(bytes).toBeGreaterThan(await snapshotBytes(audience));
      const last = await server.app.store.lastSeq();
      const client = await open(audience, `since=${since}`);
      await client.waitFor((m) => m.some((x) => x.type === 'snapshot'));
      expect(client.messages.map((m) => m.type)).toEqual(['snapshot']);
      expect(client.messages[0]).toMatchObject({ seq: last });
      // The same from a resume frame on an open socket.
      client.socket.send(JSON.stringify({ type: 'resume', since }));
      await client.waitFor((m) => m.length === 2);
      expect(client.messages.map((m) => m.type)).toEqual(['snapshot', 'snapshot']);
      await nurse.command(vitalsCase, VITALS);
      await client.waitFor((m) => m.some((x) => x.type === 'event'));
      expect(client.events().map((e) => e.seq)).toEqual([last + 1]);
      expect(client.closeCode).toBeNull();
      client.close();
    });
  }
});

describe('live feed: one snapshot a second serves every socket, with the events since it', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;

  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    for (let i = 0; i < 10; i++) await bookCaseInThePast(server, staff.coordinator, withinToday(60));
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  for (const audience of ['staff', 'board'] as const) {
    it(`gives a ${audience} socket opened during a busy second the last snapshot then exactly the events after it, then live`, async () => {
      const token = (await server.app.accounts.createDisplayToken('Mur', new Date())).token;
      const open = () => (audience === 'staff' ? LiveClient.staff(server, nurse, '?batch=1') : LiveClient.board(server, token, '&batch=1'));
      const first = await snapshotted(open());
      const built = first.messages[0].seq;
      const ids = await Promise.all(Array.from({ length: 3 }, () => bookCaseInThePast(server, staff.coordinator, withinToday(5))));
      const current = await server.app.store.lastSeq();
      const second = open();
      await second.waitFor((m) => m.at(-1)?.seq === current);
      // Given the events went past the snapshot of a moment ago, when a socket opens, then it holds
      // them all, once each, in order: the same list a snapshot built now would give.
      expect(second.messages.map((m) => [m.type, m.seq])).toEqual([
        ['snapshot', built],
        ...[1, 2, 3].map((i) => ['event', built + i]),
      ]);
      expect(second.events().map((e) => e.caseId)).toEqual(ids);
      await new Promise((r) => setTimeout(r, 1000));
      // Once the second is over, a socket gets a snapshot built afresh: nothing follows it.
      const later = await snapshotted(open());
      await new Promise((r) => setTimeout(r, 50));
      expect(later.messages.map((m) => [m.type, m.seq])).toEqual([['snapshot', current]]);
      const held = new Map([...second.messages[0].cases, ...second.events().map((e) => e.case)].map((c) => [c.id, c]));
      expect([...held.keys()].sort()).toEqual(later.messages[0].cases.map((c: { id: string }) => c.id).sort());
      // The staff snapshot is the day's list as the API gives it, field for field.
      if (audience === 'staff') expect(later.messages[0].cases).toEqual((await nurse.get('/api/cases')).body.cases);
      // And both are live.
      const next = await bookCaseInThePast(server, staff.coordinator, withinToday(5));
      for (const client of [second, later]) await client.waitFor((m) => m.at(-1)?.caseId === next && m.at(-1)?.seq === current + 1);
      for (const client of [first, second, later]) client.close();
    });
  }
});
