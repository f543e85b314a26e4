import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INTRODUCER_GTIN, DEMO_PROBE_GTIN } from '../../server/demo/demo-day';
import { Api, COMPLETE_CHECKLIST, newCaseBody } from '../support/api';
import { LIDOCAINE, timeOutOf } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';

// A recall arrives naming a lot (or a GTIN): who received it, on which day. Real server, real SQLite,
// the demo day's scanned probes and introducers, and a case this test scans and corrects itself.
describe('recall search: GET /api/devices/cases', () => {
  let server: TestServer;
  let coordinator: Api;
  let radiologist: Api;
  let nurse: Api;

  beforeAll(async () => {
    server = await startServer({ CRYODAY_DEMO: '1', ROOMS: 'Salle 1,Salle 2,Salle 3,Salle 4' });
    [coordinator, radiologist, nurse] = await Promise.all([Api.login(server, 'coordinator', 'demo'), Api.login(server, 'radiologist', 'demo'), Api.login(server, 'nurse', 'demo')]);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  const names = (body: { cases: { patient: { lastName: string } }[] }) => [...new Set(body.cases.map((c) => c.patient.lastName))].sort();

  it('by lot: every patient who received it, with the case, the day and the device as its label reads', async () => {
    const res = await coordinator.get('/api/devices/cases?lot=CP24117');
    expect(res.status).toBe(200);
    expect(names(res.body)).toEqual(['Durand', 'Moreau']);
    const durand = res.body.cases.find((c: { patient: { lastName: string } }) => c.patient.lastName === 'Durand');
    expect(durand).toMatchObject({
      kind: 'cryoprobe',
      gtin: DEMO_PROBE_GTIN,
      lot: 'CP24117',
      serial: 'SN225',
      expiry: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      patient: { firstName: 'Hélène', lastName: 'Durand', mrn: 'MRN-100231', birthDate: '1958-03-14' },
    });
    expect((await coordinator.get('/api/devices/cases?lot=CP24203')).body.cases.map((c: { patient: { lastName: string } }) => c.patient.lastName)).toEqual(['Benali']);
    expect((await coordinator.get('/api/devices/cases?lot=CP24211')).body.cases.map((c: { patient: { lastName: string } }) => c.patient.lastName)).toEqual(['Benali']);
    expect((await coordinator.get('/api/devices/cases?lot=NOPE')).body.cases).toEqual([]);
  });

  it('by GTIN, with or without its lot; a GTIN-13 typed from the box finds its GTIN-14', async () => {
    expect(names((await radiologist.get(`/api/devices/cases?gtin=${DEMO_INTRODUCER_GTIN}`)).body)).toEqual(['Benali', 'Durand']);
    expect(names((await radiologist.get(`/api/devices/cases?gtin=${DEMO_INTRODUCER_GTIN.slice(1)}`)).body)).toEqual(['Benali', 'Durand']);
    expect(names((await radiologist.get(`/api/devices/cases?gtin=${DEMO_PROBE_GTIN}&lot=CP24203`)).body)).toEqual(['Benali']);
    expect((await radiologist.get(`/api/devices/cases?gtin=${DEMO_INTRODUCER_GTIN}&lot=CP24203`)).body.cases).toEqual([]);
  });

  it('as CSV with Accept: text/csv or ?format=csv, through the export writer (; separated, named columns)', async () => {
    for (const res of [
      await coordinator.request('GET', '/api/devices/cases?lot=CP24117', undefined, { accept: 'text/csv' }),
      await coordinator.get('/api/devices/cases?lot=CP24117&format=csv&lang=fr'),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      expect(res.headers.get('content-disposition')).toContain('cryoday-recall-CP24117.csv');
      // fetch's decoder drops the byte-order mark; the writer's own tests pin it.
      const [header, ...rows] = String(res.body).replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
      expect(header!.split(';')).toEqual(['device_at', 'day', 'case_id', 'mrn', 'last_name', 'first_name', 'birth_date', 'stage', 'kind', 'gtin', 'lot', 'serial', 'expiry']);
      expect(rows.map((r) => r.split(';')[4]).sort()).toEqual(['Durand', 'Moreau']);
    }
  });

  it('a lot typed as a formula is searched as typed and exported as text; a corrected scan leaves the index', async () => {
    const room = await nurse.freeRoom();
    const plannedTargets = [{ nerve: 'genicular', side: 'right' }];
    const id = (await coordinator.post('/api/cases', newCaseBody({ plannedRoomId: room, plannedTargets }))).body.case.id as string;
    for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, { type: 'mark_ready' }, { type: 'enter_room', roomId: room }, timeOutOf(plannedTargets)])
      await nurse.command(id, command);
    await radiologist.command(id, LIDOCAINE);
    await nurse.command(id, { type: 'record_device', kind: 'introducer', device: { lot: '=1+2' } });
    const csv = (await coordinator.get('/api/devices/cases?lot=%3D1%2B2&format=csv')).body as string;
    expect(csv.split('\r\n')[1]!.split(';')[10]).toBe("'=1+2");

    await nurse.command(id, { type: 'record_device', kind: 'gas_cylinder', device: { lot: 'GAS-1' } });
    expect((await coordinator.get('/api/devices/cases?lot=GAS-1')).body.cases.map((c: { caseId: string }) => c.caseId)).toEqual([id]);
    await nurse.command(id, { type: 'correct_last', reason: 'Mauvaise bouteille scannée' });
    expect((await coordinator.get('/api/devices/cases?lot=GAS-1')).body.cases).toEqual([]);
    expect((await coordinator.get('/api/devices/cases?lot=%3D1%2B2')).body.cases).toHaveLength(1);
  });

  it('refuses a search with neither lot nor GTIN (problem+json, translated), a nurse, and nobody signed in', async () => {
    const fr = new Api(server, coordinator.cookie, 'fr');
    const empty = await fr.get('/api/devices/cases?lot=%20');
    expect(empty.status).toBe(400);
    expect(empty.headers.get('content-type')).toContain('application/problem+json');
    expect(empty.body).toMatchObject({ code: 'validation_failed', detail: 'Indiquez un lot, un GTIN, ou les deux.' });
    expect((await coordinator.get('/api/devices/cases?lot=x&extra=1')).status).toBe(400);

    const refused = await nurse.get('/api/devices/cases?lot=CP24117');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    const anonymous = await fetch(`${server.url}/api/devices/cases?lot=CP24117`);
    expect(anonymous.status).toBe(401);
  });

  it('the demo day: its CT-guided case carries its dose and machine in the day report', async () => {
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const cases = (await coordinator.get('/api/cases')).body.cases as { id: string; patient: { lastName: string } }[];
    const benali = cases.find((c) => c.patient.lastName === 'Benali')!;
    const report = (await coordinator.get(`/api/reports/day?date=${day}`)).body;
    expect(report.cases.find((c: { caseId: string }) => c.caseId === benali.id).doses).toEqual([
      { modality: 'ct', equipment: 'GE Revolution EVO (salle 2)', dlpMgyCm: 286, ctdiVolMgy: 8.4, dapGyCm2: null, fluoroscopySeconds: null },
    ]);
    expect((await coordinator.get('/api/unit/equipment')).body.machines.map((m: { modality: string }) => m.modality)).toEqual(['ct', 'ct', 'cone_beam_ct']);
  });
});
