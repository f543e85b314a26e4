import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { LIDOCAINE, SIGN_OUT_COMMAND, sendSpaced, timeOutOf } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql } from '../support/sql';

// The radiation dose over real HTTP and SQLite: the unit's machines (admin), the dose a CT-guided act
// must carry before its sign-out, and the reports per act and per month.
describe('radiation dose', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;
  let radiologist: Api;
  let coordinator: Api;
  let admin: Api;
  const target = { nerve: 'genicular', side: 'right' } as const;
  const SCANNER = 'Siemens Somatom go.Up (salle 1)';
  const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

  beforeAll(async () => {
    server = await startServer({ ROOMS: 'Salle 1,Salle 2,Salle 3,Salle 4,Salle 5,Salle 6' });
    staff = await seedStaff(server);
    [nurse, radiologist, coordinator, admin] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'radiologist'), Api.login(server, 'coordinator'), Api.login(server, 'admin')]);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  /** A case guided by `guidance`, one cycle done and the probe out, dressed. */
  async function dressedUnder(guidance: 'ct' | 'cone_beam_ct') {
    const room = await nurse.freeRoom();
    const id = await bookCaseInThePast(server, staff.coordinator, 40, newCaseBody({ plannedRoomId: room, plannedTargets: [target] }));
    await sendSpaced({ nurse, radiologist }, id, [
      ['nurse', { type: 'admit' }],
      ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
      ['nurse', { type: 'mark_ready' }],
      ['nurse', { type: 'enter_room', roomId: room }],
      ['nurse', timeOutOf([target])],
      ['radiologist', LIDOCAINE],
      ['radiologist', { type: 'position_probe', target, guidance, probe: { type: 'Cryosonde', gauge: 14 } }],
      ['radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }],
      ['radiologist', { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }],
      ['radiologist', { type: 'end_thaw' }],
      ['radiologist', { type: 'remove_probe' }],
      ['nurse', { type: 'apply_dressing' }],
    ], 5);
    return id;
  }

  const send = async (api: Api, id: string, command: Record<string, unknown>) => {
    const version = (await api.get(`/api/cases/${id}`)).body.case.version as number;
    return api.post(`/api/cases/${id}/commands`, { ...command, expectedVersion: version });
  };

  it('the unit’s machines: an admin lists them (each save kept, append-only), every staff member reads them, no one else writes', async () => {
    const machines = [
      { name: SCANNER, modality: 'ct', roomId: 'room-1' },
      { name: 'Philips Azurion cone beam (salle 3)', modality: 'cone_beam_ct' },
    ];
    expect((await nurse.get('/api/unit/equipment')).body).toEqual({ machines: [], updatedAt: null, updatedBy: null });
    expect((await radiologist.request('PUT', '/api/admin/unit/equipment', { machines })).status).toBe(403);
    const duplicate = await new Api(server, admin.cookie, 'fr').request('PUT', '/api/admin/unit/equipment', { machines: [machines[0], { ...machines[0], name: ` ${SCANNER.toUpperCase()} ` }] });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.detail).toBe('Deux appareils portent le même nom.');
    const saved = await admin.request('PUT', '/api/admin/unit/equipment', { machines });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ machines, updatedBy: 'admin' });
    expect((await nurse.get('/api/unit/equipment')).body.machines).toEqual(machines);
    await expect(sql(server, 'delete from unit_equipment')).rejects.toThrow(/append-only/);
  });

  it('dose_required: a CT-guided case cannot sign out before its dose; a typo and an unlisted machine are refused by name, translated, and change nothing', async () => {
    const id = await dressedUnder('ct');
    const fr = new Api(server, nurse.cookie, 'fr');
    const refused = await send(fr, id, SIGN_OUT_COMMAND);
    expect(refused.status).toBe(422);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ rule: 'dose_required', detail: expect.stringContaining('Guidage Scanner') });

    const before = (await nurse.get(`/api/cases/${id}`)).body.case.version;
    const typo = await send(fr, id, { type: 'record_dose', modality: 'ct', equipment: SCANNER, dlpMgyCm: 32000, ctdiVolMgy: 9 });
    expect(typo.body).toMatchObject({ rule: 'dose_implausible', detail: expect.stringContaining('32000') });
    const elsewhere = await send(fr, id, { type: 'record_dose', modality: 'ct', equipment: 'Philips Azurion cone beam (salle 3)', dlpMgyCm: 320, ctdiVolMgy: 9 });
    expect(elsewhere.body.rule).toBe('equipment_unknown');
    expect((await nurse.get(`/api/cases/${id}`)).body.case.version).toBe(before);

    await radiologist.command(id, { type: 'record_dose', modality: 'ct', equipment: SCANNER, dlpMgyCm: 320, ctdiVolMgy: 9.5 });
    await nurse.command(id, SIGN_OUT_COMMAND);
    const report = (await coordinator.get(`/api/reports/day?date=${today()}`)).body;
    expect(report.cases.find((c: { caseId: string }) => c.caseId === id).doses).toEqual([
      { modality: 'ct', equipment: SCANNER, dlpMgyCm: 320, ctdiVolMgy: 9.5, dapGyCm2: null, fluoroscopySeconds: null },
    ]);
    const csv = String((await coordinator.get(`/api/reports/cases.csv?from=${today()}&to=${today()}`)).body).replace(/^\uFEFF/, '').split('\r\n');
    const header = csv[0]!.split(';');
    const row = csv.find((line) => line.includes(id))!.split(';');
    expect(['dose_modality', 'dose_equipment', 'dlp_mgy_cm', 'ctdivol_mgy'].map((c) => row[header.indexOf(c)]?.replace(/^"(.*)"$/, '$1'))).toEqual(['ct', SCANNER, '320', '9,5']);
  });

  it('per month: each act’s dose and the median and 75th percentile of each figure', async () => {
    for (const dlp of [100, 200, 400]) {
      const id = await dressedUnder('ct');
      await radiologist.command(id, { type: 'record_dose', modality: 'ct', equipment: SCANNER, dlpMgyCm: dlp, ctdiVolMgy: dlp / 40 });
    }
    const cbct = await dressedUnder('cone_beam_ct');
    await radiologist.command(cbct, { type: 'record_dose', modality: 'cone_beam_ct', equipment: 'Philips Azurion cone beam (salle 3)', dapGyCm2: 14.2, fluoroscopySeconds: 120 });
    const res = await coordinator.get(`/api/reports/doses?from=${today()}&to=${today()}`);
    expect(res.status).toBe(200);
    // 100, 200, 320, 400 mGy·cm: median 260, 75th percentile 340 (CTDIvol 2.5, 5, 9.5, 10: 7.25 and 9.625).
    expect(res.body.acts.filter((a: { modality: string }) => a.modality === 'ct')).toHaveLength(4);
    expect(res.body.months).toEqual([
      { month: today().slice(0, 7), modality: 'ct', acts: 4, figures: { dlpMgyCm: { n: 4, median: 260, p75: 340 }, ctdiVolMgy: { n: 4, median: 7.25, p75: 9.63 } } },
      { month: today().slice(0, 7), modality: 'cone_beam_ct', acts: 1, figures: { dapGyCm2: { n: 1, median: 14.2, p75: 14.2 }, fluoroscopySeconds: { n: 1, median: 120, p75: 120 } } },
    ]);
    expect(JSON.stringify(res.body)).not.toContain('Durand');
    expect((await coordinator.get('/api/reports/doses?from=2025-02-30&to=2025-03-01')).status).toBe(400);
    expect((await admin.get(`/api/reports/doses?from=${today()}&to=${today()}`)).status).toBe(403);
  });
});
