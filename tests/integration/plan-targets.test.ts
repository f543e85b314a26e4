import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTORS } from '../../shared';
import { applyBooking } from '../../server/interfaces/bookings';
import { Api, COMPLETE_CHECKLIST, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

let server: TestServer;
let nurse: Api;
let radiologist: Api;
let coordinator: Api;
let serial = 0;
const genicular = [{ nerve: 'genicular', side: 'right' }];

/** A booking from the hospital that carries no targets, as an HL7 SIU^S12 without AIS-3 does. */
async function bookedWithoutTargets(): Promise<string> {
  serial += 1;
  const result = await applyBooking(
    server.app.interfaces,
    {
      kind: 'book',
      appointment: { placer: `PT-${serial}`, filler: `RDV-PT-${serial}` },
      patient: { mrn: `IPP${300400 + serial}`, familyName: 'Garnier', givenName: 'Hélène', birthDate: '1961-02-08', sex: 'female' },
      start: new Date(Date.now() + 3_600_000).toISOString(),
      roomName: 'Salle 1',
    },
    SYSTEM_ACTORS.hl7,
  );
  if (!result.ok) throw new Error(result.rejection.rule);
  return result.caseId!;
}

const caseOf = async (id: string) => (await nurse.get(`/api/cases/${id}`)).body as { case: any; timeline: any[] };

/** Sends plan_targets at the case's version and checks the refusal changed nothing. */
async function refusedPlan(api: Api, id: string, body: Record<string, unknown>, status: number) {
  const before = await caseOf(id);
  const res = await api.post(`/api/cases/${id}/commands`, { type: 'plan_targets', expectedVersion: before.case.version, ...body }, { 'accept-language': 'fr' });
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect((await caseOf(id)).case).toEqual(before.case);
  return res.body as { code: string; rule?: string; detail: string };
}

beforeAll(async () => {
  server = await startServer({ ROOMS: 'Salle 1,Salle 2' });
  await seedStaff(server);
  [nurse, radiologist, coordinator] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist'), Api.login(server, 'coordinator')]);
});
afterAll(async () => {
  await server.close();
  removeDir(server.dir);
});

describe('plan_targets over HTTP', () => {
  it('the radiologist completes a booking without targets; the nurse may not; then the nurse marks ready', async () => {
    const id = await bookedWithoutTargets();
    await nurse.command(id, { type: 'admit' });
    await nurse.command(id, { type: 'record_checklist', ...COMPLETE_CHECKLIST });
    const version = (await caseOf(id)).case.version;
    const notReady = await nurse.post(`/api/cases/${id}/commands`, { type: 'mark_ready', expectedVersion: version });
    expect(notReady.body).toMatchObject({ code: 'rule_violated', rule: 'targets_missing' });

    const byNurse = await refusedPlan(nurse, id, { plannedTargets: genicular }, 403);
    expect(byNurse.code).toBe('forbidden');
    expect(byNurse.detail.length).toBeGreaterThan(0);

    const before = (await caseOf(id)).case;
    const planned = await radiologist.command(id, { type: 'plan_targets', plannedTargets: genicular });
    expect(planned.case).toMatchObject({ plannedTargets: genicular, scheduledAt: before.scheduledAt, plannedRoomId: before.plannedRoomId });
    const { timeline } = await caseOf(id);
    expect(timeline.at(-1)).toMatchObject({
      type: 'TargetsPlanned',
      actor: { role: 'radiologist' },
      data: { plannedTargets: genicular, previousTargets: [] },
    });

    await nurse.command(id, { type: 'mark_ready' });
    expect((await caseOf(id)).case.stage).toBe('ready');
  });

  it('refuses an empty or malformed list as a translated 400, and the coordinator may change the targets too', async () => {
    const id = await bookedWithoutTargets();
    const empty = await refusedPlan(radiologist, id, { plannedTargets: [] }, 400);
    expect(empty.detail.length).toBeGreaterThan(0);
    await refusedPlan(radiologist, id, { plannedTargets: [{ nerve: 'genicular', side: 'up' }] }, 400);
    await refusedPlan(radiologist, id, { plannedTargets: genicular, scheduledAt: new Date().toISOString() }, 400);
    const planned = await coordinator.command(id, { type: 'plan_targets', plannedTargets: genicular });
    expect(planned.case.plannedTargets).toEqual(genicular);
  });

  it('is refused once the patient is in the room, leaving the targets the time-out checks', async () => {
    const id = await bookedWithoutTargets();
    await radiologist.command(id, { type: 'plan_targets', plannedTargets: genicular });
    for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, { type: 'mark_ready' }])
      await nurse.command(id, command);
    await nurse.command(id, { type: 'enter_room', roomId: await nurse.freeRoom() });
    const inRoom = await refusedPlan(radiologist, id, { plannedTargets: [{ nerve: 'genicular', side: 'left' }] }, 422);
    expect(inRoom).toMatchObject({ code: 'not_allowed_in_stage', rule: 'wrong_stage' });
    expect((await caseOf(id)).case.plannedTargets).toEqual(genicular);
  });
});
