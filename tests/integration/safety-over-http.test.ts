import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { LIDOCAINE, SIGN_OUT, SIGN_OUT_COMMAND, TIME_OUT, timeOutOf } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';

// The procedure room's safety checks against the real server: each unsafe step of the issue is
// answered 422 (problem+json, in the request's language, naming the rule) and changes nothing, and
// the same payload with the unsafe part put right is accepted.
describe('procedure-room safety checks over HTTP', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;
  let radiologist: Api;
  let coordinator: Api;
  let frenchRadiologist: Api;
  const planned = { nerve: 'intercostal', level: 'T5', side: 'left' } as const;
  const probe = { guidance: 'ultrasound', probe: { type: 'Cryosonde 1,7 mm', gauge: 14 } } as const;

  beforeAll(async () => {
    server = await startServer({ ROOMS: 'Salle 1,Salle 2,Salle 3,Salle 4,Salle 5,Salle 6,Salle 7,Salle 8' });
    staff = await seedStaff(server);
    [nurse, radiologist, coordinator] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist'), Api.login(server, 'coordinator')]);
    frenchRadiologist = new Api(server, radiologist.cookie, 'fr');
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  // Steps a minute apart from `start` minutes ago, so a freeze lasts long enough to count.
  function clock(start: number) {
    let minutes = start;
    return () => new Date(Date.now() - minutes-- * 60_000).toISOString();
  }

  const version = async (id: string) => (await nurse.get(`/api/cases/${id}`)).body.case.version as number;

  /** Sends one command and expects the named rule, 422, nothing recorded. */
  async function refused(api: Api, id: string, command: Record<string, unknown>, rule: string) {
    const before = await version(id);
    const res = await api.post(`/api/cases/${id}/commands`, { ...command, expectedVersion: before });
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'rule_violated', rule });
    expect(await version(id)).toBe(before);
    return res.body as { detail: string };
  }

  async function inRoom(plannedTargets: readonly object[] = [planned], checklist: Record<string, unknown> = COMPLETE_CHECKLIST) {
    const room = await nurse.freeRoom();
    const id = await bookCaseInThePast(server, staff.coordinator, 90, newCaseBody({ plannedRoomId: room, plannedTargets }));
    const at = clock(80);
    for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...checklist }, { type: 'mark_ready' }, { type: 'enter_room', roomId: room }])
      await nurse.command(id, { ...command, occurredAt: at() });
    return { id, at };
  }

  it('the time-out: refused incomplete or on other targets, required before the anaesthetic, then done', async () => {
    const { id, at } = await inRoom();
    await refused(radiologist, id, { ...LIDOCAINE, occurredAt: at() }, 'time_out_required');
    await refused(nurse, id, { ...timeOutOf([{ ...planned, side: 'right' }]), occurredAt: at() }, 'time_out_targets_mismatch');
    await refused(nurse, id, { ...timeOutOf([planned]), equipmentChecked: false, occurredAt: at() }, 'time_out_incomplete');
    const forbidden = await coordinator.post(`/api/cases/${id}/commands`, { ...timeOutOf([planned]), expectedVersion: await version(id) });
    expect(forbidden.status).toBe(403);
    const done = await nurse.command(id, { ...timeOutOf([planned]), occurredAt: at() });
    expect(done.case.timeOut).toMatchObject({ by: { name: 'Inès Martin' }, targets: [planned] });
    expect(done.case.timeOut.at).toBe(done.events[0].occurredAt);
    expect((await radiologist.command(id, { ...LIDOCAINE, occurredAt: at() })).case.stage).toBe('local_anesthesia');
  });

  it('laterality: the other side and an unplanned nerve are refused; a radiologist’s reason adds an off-plan target', async () => {
    const { id, at } = await inRoom();
    await nurse.command(id, { ...timeOutOf([planned]), occurredAt: at() });
    await radiologist.command(id, { ...LIDOCAINE, occurredAt: at() });
    const wrongSide = await refused(frenchRadiologist, id, { type: 'position_probe', target: { ...planned, side: 'right' }, ...probe, occurredAt: at() }, 'side_mismatch');
    expect(wrongSide.detail).toContain('droit');
    const genicular = { type: 'position_probe', target: { nerve: 'genicular', side: 'right' }, ...probe };
    await refused(radiologist, id, { ...genicular, occurredAt: at() }, 'target_not_planned');
    const blank = await radiologist.post(`/api/cases/${id}/commands`, { ...genicular, offPlanReason: '  ', expectedVersion: await version(id) });
    expect(blank.status).toBe(400);
    const offPlan = await radiologist.command(id, { ...genicular, offPlanReason: 'Douleur du genou associée', occurredAt: at() });
    expect(offPlan.case.offPlanTargets).toMatchObject([{ target: { nerve: 'genicular', side: 'right' }, reason: 'Douleur du genou associée', by: { role: 'radiologist' } }]);
  });

  it('the dose limit: the issue’s 100 mL of lidocaine 1 % after a first injection is refused with the total and the maximum in mg', async () => {
    const { id, at } = await inRoom();
    await nurse.command(id, { ...timeOutOf([planned]), occurredAt: at() });
    await radiologist.command(id, { ...LIDOCAINE, volumeMl: 20, occurredAt: at() });
    // 72 kg: 4.5 mg/kg is 324 mg, capped at 300 mg for plain lidocaine.
    const res = await refused(frenchRadiologist, id, { ...LIDOCAINE, volumeMl: 100, occurredAt: at() }, 'max_dose_exceeded');
    expect(res.detail).toBe('Dose maximale dépassée pour Lidocaïne\u00a0: 1200 mg au total pour un maximum de 300 mg (72 kg).');
    const accepted = await radiologist.command(id, { ...LIDOCAINE, volumeMl: 10, occurredAt: at() });
    expect(accepted.case.localAnesthesia.map((d: { mg: number }) => d.mg)).toEqual([200, 100]);
    await refused(radiologist, id, { ...LIDOCAINE, volumeMl: 0.5, occurredAt: at() }, 'max_dose_exceeded');
  });

  it('allergies: lidocaine for a patient allergic to amides is refused unless a radiologist gives a reason', async () => {
    const { id, at } = await inRoom([planned], { ...COMPLETE_CHECKLIST, allergies: { has: true, allergens: ['local_anesthetic_amide'], details: 'Lidocaïne, 2019' } });
    await nurse.command(id, { ...timeOutOf([planned]), occurredAt: at() });
    await refused(radiologist, id, { ...LIDOCAINE, occurredAt: at() }, 'allergy_to_agent');
    const given = await radiologist.command(id, { ...LIDOCAINE, allergyOverrideReason: 'Test allergologique négatif en 2023', occurredAt: at() });
    expect(given.case.localAnesthesia[0].allergyOverrideReason).toBe('Test allergologique négatif en 2023');
  });

  it('a structured allergy, a weight in range, and the weight before the anaesthetic (recorded in the room if forgotten)', async () => {
    const room = await nurse.freeRoom();
    const id = await bookCaseInThePast(server, staff.coordinator, 30, newCaseBody({ plannedRoomId: room }));
    await nurse.command(id, { type: 'admit' });
    await refused(nurse, id, { type: 'record_checklist', allergies: { has: true } }, 'allergens_missing');
    const tooLight = await nurse.post(`/api/cases/${id}/commands`, { type: 'record_checklist', weightKg: 12, expectedVersion: await version(id) });
    expect(tooLight.status).toBe(400);
    expect(tooLight.body.code).toBe('validation_failed');
    const unknown = await nurse.post(`/api/cases/${id}/commands`, { type: 'record_checklist', allergies: { has: true, allergens: ['pollen'] }, expectedVersion: await version(id) });
    expect(unknown.status).toBe(400);
    const { weightKg: _w, ...noWeight } = COMPLETE_CHECKLIST;
    await nurse.command(id, { type: 'record_checklist', ...noWeight, allergies: { has: true, allergens: ['chlorhexidine'] } });
    await nurse.command(id, { type: 'mark_ready' });
    await nurse.command(id, { type: 'enter_room', roomId: room });
    await nurse.command(id, timeOutOf([{ nerve: 'genicular', side: 'right' }]));
    await refused(radiologist, id, LIDOCAINE, 'weight_missing');
    await refused(nurse, id, { type: 'record_checklist', weightKg: 81.5, consentSigned: true }, 'checklist_closed');
    expect((await nurse.command(id, { type: 'record_checklist', weightKg: 81.5 })).case.checklist).toMatchObject({ weightKg: 81.5, allergies: { has: true, allergens: ['chlorhexidine'] } });
    expect((await radiologist.command(id, LIDOCAINE)).case.stage).toBe('local_anesthesia');
  });

  it('typing errors: diastolic over systolic, and a freeze ended a second after it started', async () => {
    const { id, at } = await inRoom();
    await refused(nurse, id, { type: 'record_vitals', heartRate: 70, systolic: 80, diastolic: 120, spo2: 98, occurredAt: at() }, 'vitals_implausible');
    await nurse.command(id, { type: 'record_vitals', heartRate: 70, systolic: 120, diastolic: 80, spo2: 98, occurredAt: at() });
    await nurse.command(id, { ...timeOutOf([planned]), occurredAt: at() });
    await radiologist.command(id, { ...LIDOCAINE, occurredAt: at() });
    await radiologist.command(id, { type: 'position_probe', target: planned, ...probe, occurredAt: at() });
    const startedAt = at();
    await radiologist.command(id, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180, occurredAt: startedAt });
    const oneSecond = new Date(Date.parse(startedAt) + 1000).toISOString();
    await refused(radiologist, id, { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive', occurredAt: oneSecond }, 'freeze_too_short');
    await radiologist.command(id, { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive', occurredAt: at() });
  });

  it('the sign-out: required before observation, each item confirmed; then CSV and the API description carry it', async () => {
    const { id, at } = await inRoom();
    await nurse.command(id, { ...timeOutOf([planned]), occurredAt: at() });
    for (const command of [
      LIDOCAINE,
      { type: 'position_probe', target: planned, ...probe },
      { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 },
      { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' },
      { type: 'end_thaw' },
      { type: 'remove_probe' },
    ])
      await radiologist.command(id, { ...command, occurredAt: at() });
    await nurse.command(id, { type: 'apply_dressing', occurredAt: at() });
    await refused(nurse, id, { type: 'start_observation', occurredAt: at() }, 'sign_out_required');
    await refused(nurse, id, { ...SIGN_OUT_COMMAND, cyclesReviewed: false, occurredAt: at() }, 'sign_out_incomplete');
    await radiologist.command(id, { ...SIGN_OUT_COMMAND, occurredAt: at() });
    expect((await nurse.command(id, { type: 'start_observation', occurredAt: at() })).case.stage).toBe('observation');

    const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Paris' });
    const csv = await coordinator.request('GET', `/api/reports/cases.csv?from=${today}&to=${today}`);
    const [header, ...rows] = parse((csv.body as string).replace(/^\uFEFF/, ''), { delimiter: ';' }) as string[][];
    const row = rows.find((r) => r.includes(id))!;
    const cell = (name: string) => row[header!.indexOf(name)];
    expect(cell('weight_kg')).toBe('72');
    expect(cell('local_anesthetics')).toBe('lidocaine 1 % 5 mL 50 mg');
    expect(cell('local_anesthetic_mg')).toBe('50');
    expect(cell('local_anesthetic_max_pct')).toBe('16,7');
    expect(cell('time_out_by')).toBe('Inès Martin');
    expect(cell('sign_out_by')).toBe('Dr Roche');
    expect(cell('time_out_at')).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    const openapi = (await coordinator.get('/api/openapi.json')).body;
    const bodies = openapi.paths['/api/cases/{id}/commands'].post.requestBody.content['application/json'].schema.oneOf as { properties: Record<string, { const?: string; enum?: string[] }>; required?: string[] }[];
    const of = (type: string) => bodies.find((b) => (b.properties.type!.const ?? b.properties.type!.enum?.[0]) === type)!;
    expect(of('confirm_time_out').required).toEqual(expect.arrayContaining(['targets', ...Object.keys(TIME_OUT)]));
    expect(of('confirm_sign_out').required).toEqual(expect.arrayContaining(Object.keys(SIGN_OUT)));
    expect(of('give_local_anesthesia').properties.agent!.enum).toEqual(['lidocaine', 'mepivacaine', 'ropivacaine', 'bupivacaine', 'levobupivacaine']);
    expect(of('record_aldrete').required).toEqual(expect.arrayContaining(['activity', 'respiration', 'circulation', 'consciousness', 'oxygenSaturation']));
  });

  it('the old free-text anaesthetic is a malformed request now', async () => {
    const { id, at } = await inRoom();
    await nurse.command(id, { ...timeOutOf([planned]), occurredAt: at() });
    const res = await radiologist.post(`/api/cases/${id}/commands`, { type: 'give_local_anesthesia', agent: 'Lidocaïne 1 %', volumeMl: 5, expectedVersion: await version(id) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
  });
});
