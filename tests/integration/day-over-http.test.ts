import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, LiveClient, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { minutesAgo, wholeDay } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';

describe('a whole day over HTTP, watched live', () => {
  let server: TestServer;
  let users: Record<'nurse' | 'radiologist' | 'coordinator', Api>;
  let staff: Awaited<ReturnType<typeof seedStaff>>;

  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
    users = {
      nurse: await Api.login(server, 'nurse'),
      radiologist: await Api.login(server, 'radiologist'),
      coordinator: await Api.login(server, 'coordinator'),
    };
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('stores every step, answers with the new case and pushes every event in order to a live client', async () => {
    const live = LiveClient.staff(server, users.nurse);
    await live.opened;
    await live.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    const snapshot = live.messages[0];
    expect(snapshot).toMatchObject({ type: 'snapshot', seq: 0, cases: [] });
    expect(snapshot.rooms.map((r: any) => r.status)).toEqual(['free', 'free', 'free']);

    const created = await users.coordinator.post('/api/cases', newCaseBody());
    expect(created.status).toBe(201);
    expect(created.body.case).toMatchObject({ stage: 'scheduled', version: 1 });
    const caseId = await bookCaseInThePast(server, staff.coordinator, 180);

    const steps = wholeDay('room-1', minutesAgo(Date.now()));
    const stagesSeen: string[] = [];
    for (const [who, command] of steps) {
      const { case: after } = await users[who].command(caseId, command);
      stagesSeen.push(after.stage);
    }
    expect(stagesSeen).toContain('freezing');
    expect(stagesSeen.at(-1)).toBe('discharged');

    const total = steps.length + 1;
    await live.waitFor((m) => m.filter((x) => x.type === 'event').length === total + 1);
    const events = live.events().slice(1);
    expect(live.events().map((e) => e.seq)).toEqual(Array.from({ length: total + 1 }, (_, i) => i + 1));
    expect(events.map((e) => e.event.type)).toEqual([
      'CaseScheduled', 'PatientAdmitted', 'ChecklistRecorded', 'PatientMarkedReady', 'RoomEntered', 'TimeOutConfirmed', 'LocalAnesthesiaGiven',
      'ProbePositioned', 'StimulationRecorded', 'FreezeStarted', 'FreezeEnded', 'ThawEnded', 'ProbeRemoved',
      'DressingApplied', 'SignOutConfirmed', 'ObservationStarted', 'VitalsRecorded', 'PadssRecorded', 'PatientDischarged',
    ]);
    expect(events.at(-1).case.stage).toBe('discharged');
    // The room went occupied on entry and cleaning when the patient left for observation.
    const roomUpdates = events.filter((e) => e.rooms).map((e) => [e.event.type, e.rooms[0].status]);
    expect(roomUpdates).toEqual([
      ['RoomEntered', 'occupied'],
      ['ObservationStarted', 'cleaning'],
    ]);
    live.close();

    const detail = await users.nurse.get(`/api/cases/${caseId}`);
    expect(detail.body.timeline).toHaveLength(total);
    const admitted = detail.body.timeline[1];
    expect(admitted).toMatchObject({ type: 'PatientAdmitted', actor: { role: 'nurse', name: 'Inès Martin' } });
    // Back-dated: the clinical time is what the nurse said, the recorded time is the server's.
    expect(Date.parse(admitted.recordedAt) - Date.parse(admitted.occurredAt)).toBeGreaterThan(100 * 60_000);

    const list = await users.nurse.get('/api/cases');
    expect(list.body.cases.map((c: any) => c.id)).toContain(caseId);
  });

  it('frees a cleaned room only through room_ready, sent by a nurse', async () => {
    const rooms = await users.nurse.get('/api/rooms');
    expect(rooms.body.rooms[0]).toMatchObject({ id: 'room-1', status: 'cleaning' });
    const byCoordinator = await users.coordinator.post('/api/rooms/room-1/commands', { type: 'room_ready' });
    expect(byCoordinator.status).toBe(403);
    const ready = await users.nurse.post('/api/rooms/room-1/commands', { type: 'room_ready' });
    expect(ready.status).toBe(200);
    expect(ready.body.room).toMatchObject({ status: 'free', caseId: null });
    const again = await users.nurse.post('/api/rooms/room-1/commands', { type: 'room_ready' });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ code: 'rule_violated', rule: 'room_not_cleaning' });
  });

  it('refuses a second patient into an occupied room with a translated reason', async () => {
    const a = await bookCaseInThePast(server, staff.coordinator, 180);
    const b = await bookCaseInThePast(server, staff.coordinator, 180);
    for (const id of [a, b]) {
      for (const [, command] of wholeDay('room-2', minutesAgo(Date.now())).slice(0, 3)) await users.nurse.command(id, command);
    }
    await users.nurse.command(a, { type: 'enter_room', roomId: 'room-2' });
    const current = await users.nurse.get(`/api/cases/${b}`);
    const refused = await new Api(server, users.nurse.cookie, 'fr').post(`/api/cases/${b}/commands`, {
      type: 'enter_room',
      roomId: 'room-2',
      expectedVersion: current.body.case.version,
    });
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'rule_violated', rule: 'room_not_free' });
    expect(refused.body.detail).toMatch(/salle/i);
    const after = await users.nurse.get(`/api/cases/${b}`);
    expect(after.body.case.version).toBe(current.body.case.version);
  });
});
