import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleCase } from '../../server/cases/execute';
import { RESUME_LIMIT } from '../../server/plugins/live';
import { Api, LiveClient, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql } from '../support/sql';

const opened = async (client: LiveClient) => {
  await client.waitFor((m) => m[0]?.type === 'snapshot');
  return client;
};

/** Each pong's seq beside the last event seq the socket had received before it. */
function pongsAgainstEvents(client: LiveClient) {
  let lastEvent = client.messages[0].seq as number;
  const pairs: { pong: number; heldBefore: number }[] = [];
  for (const message of client.messages.slice(1)) {
    if (message.type === 'event') lastEvent = message.seq;
    if (message.type === 'pong') pairs.push({ pong: message.seq, heldBefore: lastEvent });
  }
  return pairs;
}

// How long a live socket lives: as long as its sign-in holds and it answers pings; and what a screen
// left on for days sees when the unit's day turns.
describe('live feed: a socket lives as long as its sign-in', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;

  beforeAll(async () => {
    // A heartbeat every 200 ms and a 2-second idle limit, so expiry shows within a test.
    server = await startServer({ LIVE_HEARTBEAT_SECONDS: '0.2', SESSION_IDLE_HOURS: String(2 / 3600) });
    staff = await seedStaff(server);
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('closes the socket when the session goes idle past the limit, although the socket stayed open', async () => {
    const nurse = await Api.login(server, 'nurse');
    const client = await opened(LiveClient.staff(server, nurse));
    const { code } = await client.closed;
    expect(code).toBe(4401);
    expect((await nurse.get('/api/auth/me')).status).toBe(401);
  });

  it('closes the socket of an account disabled from another process (the users CLI writes the database directly)', async () => {
    const radiologist = await Api.login(server, 'radiologist');
    const client = await opened(LiveClient.staff(server, radiologist));
    await sql(server, 'update staff set active = false where id = ?', staff.radiologist.id);
    await expect(client.closed).resolves.toMatchObject({ code: 4401 });
  });

  it('drops a socket that stops answering pings, and keeps one that answers', async () => {
    const { token } = await server.app.accounts.createDisplayToken('Mur', new Date());
    const alive = await opened(LiveClient.board(server, token));
    const dead = await opened(LiveClient.board(server, token));
    const before = server.app.live.clients.size;
    // A board whose network vanished: it reads nothing, so it never answers a ping.
    (dead.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    await expect.poll(() => server.app.live.clients.size, { timeout: 5000 }).toBe(before - 1);
    await new Promise((r) => setTimeout(r, 600));
    expect(alive.closeCode).toBeNull();
    alive.close();
    dead.socket.terminate();
  });

  it('keeps an administrator off the patient feed', async () => {
    const admin = await Api.login(server, 'admin');
    const client = LiveClient.staff(server, admin);
    await expect(client.closed).resolves.toMatchObject({ code: 4403 });
    expect(client.messages).toEqual([]);
  });

  it('treats a board URL as a board even in a browser signed in as staff', async () => {
    const coordinator = await Api.login(server, 'coordinator');
    await bookCaseInThePast(server, staff.coordinator, 1);
    const { token } = await server.app.accounts.createDisplayToken('Mur accueil', new Date());
    const board = await opened(new LiveClient(`${server.wsUrl}/api/live?token=${token}`, { cookie: coordinator.cookie }));
    expect(board.messages[0].cases.length).toBeGreaterThan(0);
    expect(JSON.stringify(board.messages)).not.toMatch(/Hélène|Durand|MRN-|1958-03-14/);
    board.close();
    // A wrong token is refused even with a valid session beside it.
    const forged = new LiveClient(`${server.wsUrl}/api/live?token=forged`, { cookie: coordinator.cookie });
    await expect(forged.closed).resolves.toMatchObject({ code: 4401 });
    expect(forged.messages).toEqual([]);
  });
});

describe('live feed: resuming and turning the day', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;

  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('closes a tablet’s socket once its user signs out', async () => {
    const nurse = await Api.login(server, 'nurse'); // not the describe's: that one stays signed in
    const client = await opened(LiveClient.staff(server, nurse));
    const other = await opened(LiveClient.staff(server, await Api.login(server, 'nurse')));
    expect((await nurse.post('/api/auth/logout')).status).toBe(204);
    // At once: this server's heartbeat is 15 s away.
    await expect(Promise.race([client.closed, new Promise((r) => setTimeout(() => r('still open'), 3000))])).resolves.toMatchObject({ code: 4401 });
    // The same nurse signed in on another tablet keeps hers.
    expect(other.closeCode).toBeNull();
    other.close();
  });

  it(`sends a fresh snapshot instead of a replay to a client more than ${RESUME_LIMIT} events behind`, async () => {
    await bookCaseInThePast(server, staff.coordinator, 5);
    const since = await server.app.store.lastSeq();
    for (let i = 0; i <= RESUME_LIMIT; i++) await bookCaseInThePast(server, staff.coordinator, 5);
    const client = LiveClient.staff(server, nurse, `?since=${since}`);
    await client.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    expect(client.events()).toEqual([]);
    expect(client.messages[0].seq).toBe((await server.app.store.lastSeq()));
    client.close();
  });

  it('resumes a client holding yesterday’s list with today’s snapshot, not with a replay', async () => {
    await bookCaseInThePast(server, staff.coordinator, 26 * 60);
    const yesterday = await server.app.store.lastSeq();
    const todays = await bookCaseInThePast(server, staff.coordinator, 1);
    const client = LiveClient.staff(server, nurse, `?since=${yesterday}`);
    await client.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    expect(client.messages.some((m) => m.type === 'resumed')).toBe(false);
    expect(client.messages[0].cases.map((c: { id: string }) => c.id)).toContain(todays);
    client.close();
  });

  it('gives every open screen the new day’s list at the unit’s midnight, then carries on live', async () => {
    const { token } = await server.app.accounts.createDisplayToken('Mur', new Date());
    const board = LiveClient.board(server, token);
    const tablet = LiveClient.staff(server, nurse);
    await board.waitFor((m) => m[0]?.type === 'snapshot');
    await tablet.waitFor((m) => m[0]?.type === 'snapshot');
    const today = board.messages[0].day;

    const tomorrow = new Date(Date.now() + 24 * 3_600_000);
    server.app.turnDay(tomorrow);
    for (const client of [board, tablet]) {
      await client.waitFor((m) => m.filter((x) => x.type === 'snapshot').length === 2);
      const fresh = client.messages.filter((m) => m.type === 'snapshot')[1];
      expect(fresh.day).not.toBe(today);
      expect(fresh.cases).toEqual([]);
    }
    // Turning to the same day again sends nothing more.
    server.app.turnDay(tomorrow);
    await new Promise((r) => setTimeout(r, 100));
    expect(board.messages.filter((m) => m.type === 'snapshot')).toHaveLength(2);
    // Back to the real clock (a test cannot wait for midnight): the next event first turns the day
    // (a third snapshot, holding the event), and nothing is sent twice.
    const caseId = await bookCaseInThePast(server, staff.coordinator, 1);
    await board.waitFor((m) => m.filter((x) => x.type === 'snapshot').length === 3);
    const third = board.messages.filter((m) => m.type === 'snapshot')[2];
    expect(third.cases.map((c: { id: string }) => c.id)).toContain(caseId);
    await new Promise((r) => setTimeout(r, 100));
    expect(board.events().filter((e) => e.caseId === caseId)).toEqual([]);
    // Then live as usual.
    await nurse.command(caseId, { type: 'admit' });
    await board.waitFor((m) => m.some((x) => x.type === 'event' && x.caseId === caseId));
    board.close();
    tablet.close();
  });

  it('never announces an event the screen has not been sent: each pong names the last event before it on the socket', async () => {
    // Given a tablet's socket holding the day's list
    const client = LiveClient.staff(server, nurse);
    await client.waitFor((m) => m[0]?.type === 'snapshot');
    // When cases are booked while it pings after each, and one more is stored without being published
    // by the command that stored it (on PostgreSQL the instance's log feed publishes it a moment later)
    for (let i = 0; i < 20; i++) {
      await bookCaseInThePast(server, staff.coordinator, 5);
      client.socket.send(JSON.stringify({ type: 'ping' }));
    }
    const actor = { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' as const };
    await server.app.groupCommit.run((tx) => scheduleCase({ tx, settings: server.app.settings, labelMode: server.app.config.boardLabel, actor, now: new Date() }, newCaseBody() as never));
    client.socket.send(JSON.stringify({ type: 'ping' }));
    await client.waitFor((m) => m.filter((x) => x.type === 'pong').length === 21);
    // Then no pong claimed more than the socket had been sent, and once the bookings are all out, the
    // pong names the very last event it received: a screen holding less would know it missed one.
    const pairs = pongsAgainstEvents(client);
    expect(pairs.filter((p) => p.pong > p.heldBefore)).toEqual([]);
    client.socket.send(JSON.stringify({ type: 'ping' }));
    await client.waitFor((m) => m.filter((x) => x.type === 'pong').length === 22);
    const last = pongsAgainstEvents(client).at(-1)!;
    expect(last.pong).toBe(last.heldBefore);
    expect(client.events().length).toBeGreaterThanOrEqual(20);
    client.close();
  });
});
