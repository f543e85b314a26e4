import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, LiveClient, bookCaseInThePast, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

describe('live feed: snapshot, order, resume', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;

  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    // A morning's list: a replay weighing more than the day's snapshot is answered with the snapshot.
    for (let i = 0; i < 10; i++) await bookCaseInThePast(server, staff.coordinator, 60);
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('refuses a socket with neither a session nor a display token', async () => {
    const anonymous = new LiveClient(`${server.wsUrl}/api/live`);
    await anonymous.opened;
    await expect.poll(() => anonymous.closeCode).toBe(4401);
    expect(anonymous.messages).toEqual([]);
  });

  it('after a reconnect with resume, delivers exactly the missed events: no gap, no duplicate', async () => {
    const ids = [await bookCaseInThePast(server, staff.coordinator, 30), await bookCaseInThePast(server, staff.coordinator, 30)];
    const first = LiveClient.staff(server, nurse);
    await first.waitFor((m) => m[0]?.type === 'snapshot');
    const held = first.messages[0].seq;
    await nurse.command(ids[0]!, { type: 'admit' });
    await first.waitFor((m) => m.some((x) => x.type === 'event'));
    const lastHeld = first.events().at(-1).seq;
    first.close();

    // While the tablet is offline, three things happen.
    await nurse.command(ids[1]!, { type: 'admit' });
    await nurse.command(ids[0]!, { type: 'cancel', reason: 'no_show' });
    await nurse.command(ids[1]!, { type: 'cancel', reason: 'equipment', note: 'Sonde indisponible' });

    const second = LiveClient.staff(server, nurse, `?since=${lastHeld}`);
    await second.waitFor((m) => m.some((x) => x.type === 'resumed'));
    const replayed = second.events();
    expect(replayed.map((e) => e.seq)).toEqual([lastHeld + 1, lastHeld + 2, lastHeld + 3]);
    expect(replayed.map((e) => e.event.type)).toEqual(['PatientAdmitted', 'CaseCancelled', 'CaseCancelled']);
    // Each replayed event carries its case as it stood right after that event.
    expect(replayed.map((e) => e.case.stage)).toEqual(['admitted', 'cancelled', 'cancelled']);
    expect(second.messages.some((m) => m.type === 'snapshot')).toBe(false);
    expect(held).toBeLessThan(lastHeld);

    // And it is live again afterwards, continuing the sequence.
    const third = await bookCaseInThePast(server, staff.coordinator, 30);
    await second.waitFor((m) => m.filter((x) => x.type === 'event').length === 4);
    expect(second.events()[3]).toMatchObject({ seq: lastHeld + 4, caseId: third, event: { type: 'CaseScheduled' } });
    second.close();
  });

  it('answers a resume message sent on an open socket, and a resume from the future with a fresh snapshot', async () => {
    const client = LiveClient.staff(server, nurse);
    // A snapshot of the last second may come with the events committed since: the client then holds them too.
    const seq = await server.app.store.lastSeq();
    await client.waitFor((m) => m[0]?.type === 'snapshot' && m.at(-1).seq === seq);
    const held = client.messages.length;
    client.socket.send(JSON.stringify({ type: 'resume', since: seq - 2 }));
    await client.waitFor((m) => m.some((x) => x.type === 'resumed'));
    expect(client.messages.slice(held).map((m) => [m.type, m.seq])).toEqual([
      ['event', seq - 1],
      ['event', seq],
      ['resumed', seq],
    ]);
    client.socket.send(JSON.stringify({ type: 'resume', since: seq + 1000 }));
    await client.waitFor((m) => m.filter((x) => x.type === 'snapshot').length === 2);
    client.socket.send('not json');
    await client.waitFor((m) => m.some((x) => x.type === 'error'));
    client.close();
  });

  it('batches a tick of events into one frame for clients that ask, in the same order', async () => {
    const batched = LiveClient.staff(server, nurse, '?batch=1');
    const raw: string[] = [];
    batched.socket.on('message', (data) => raw.push(data.toString()));
    // A snapshot of the last second may come with the events committed since, in one batch frame.
    const start = await server.app.store.lastSeq();
    await batched.waitFor((m) => m[0]?.type === 'snapshot' && m.at(-1).seq === start);
    const held = batched.events().length;
    const framesHeld = raw.length;
    const ids = await Promise.all(Array.from({ length: 5 }, () => bookCaseInThePast(server, staff.coordinator, 5)));
    await batched.waitFor((m) => m.filter((x) => x.type === 'event').length === held + 5);
    expect(batched.events().slice(held).map((e) => e.caseId)).toEqual(ids);
    expect(batched.events().slice(held).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5].map((i) => start + i));
    // Five synchronous bookings in one tick left as one frame.
    expect(raw.slice(framesHeld).filter((r) => r.startsWith('{"type":"batch"'))).toHaveLength(1);
    batched.close();
  });

  it('gives a wall board pseudonymous cases and event types only', async () => {
    const { token } = await server.app.accounts.createDisplayToken('Mur salle de réveil', new Date());
    const board = new LiveClient(`${server.wsUrl}/api/live?token=${token}`);
    await board.waitFor((m) => m[0]?.type === 'snapshot');
    const caseId = await bookCaseInThePast(server, staff.coordinator, 30);
    await nurse.command(caseId, { type: 'admit' });
    await board.waitFor((m) => m.filter((x) => x.type === 'event' && x.caseId === caseId).length === 2);
    const event = board.events().at(-1);
    expect(Object.keys(event.event).sort()).toEqual(['occurredAt', 'type']);
    expect(event.case).toMatchObject({ id: caseId, stage: 'admitted', label: 'H.D.' });
    expect(JSON.stringify(board.messages)).not.toMatch(/Hélène|Durand|MRN-|1958-03-14/);
    board.close();
  });
});

describe('live feed: a slow client', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;

  beforeAll(async () => {
    server = await startServer({ LIVE_MAX_BUFFER_KB: '64' });
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('is cut off once its unsent backlog passes the bound, while a healthy client gets everything', async () => {
    const healthy = LiveClient.staff(server, nurse);
    const slow = LiveClient.staff(server, nurse);
    await healthy.waitFor((m) => m[0]?.type === 'snapshot');
    await slow.waitFor((m) => m[0]?.type === 'snapshot');
    // Stop reading: the kernel buffers fill, then the server's send buffer grows.
    (slow.socket as unknown as { _socket: { pause(): void } })._socket.pause();
    const total = 3000;
    for (let i = 0; i < total; i += 100) {
      for (let j = 0; j < 100; j++) await bookCaseInThePast(server, staff.coordinator, 10);
      await new Promise((r) => setTimeout(r, 5));
    }
    await healthy.waitFor((m) => m.filter((x) => x.type === 'event').length === total, 30_000);
    await expect.poll(() => server.app.live.clients.size, { timeout: 10_000 }).toBe(1);
    const seqs = healthy.events().map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => seqs[0] + i));
    healthy.close();
    slow.socket.terminate();
  }, 60_000);
});
