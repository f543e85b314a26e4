import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../shared';
import { Api, newCaseBody, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

// The schedule file over real HTTP: judged line by line with schedule_case's own rules, the same in
// the preview (which stores nothing) and in the import (one go, nothing twice on a retry).
describe('POST /api/schedule/import', () => {
  let server: TestServer;
  let coordinator: Api;
  let nurse: Api;
  const day = dayOf(new Date(), 'Europe/Paris');
  const header = 'date,time,room,mrn,last_name,first_name,birth_date,targets';

  beforeAll(async () => {
    server = await startServer();
    await seedStaff(server);
    coordinator = await Api.login(server, 'coordinator');
    nurse = await Api.login(server, 'nurse');
    // Already on file: IMP-KNOWN is Hélène Durand.
    await coordinator.post('/api/cases', newCaseBody({ patient: { firstName: 'Hélène', lastName: 'Durand', mrn: 'IMP-KNOWN', birthDate: '1958-03-14' } }));
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  const cases = async () => (await coordinator.get(`/api/cases?date=${day}`)).body.cases as { patient: { mrn: string } }[];

  it('refuses a nurse, as schedule_case does, and stores nothing', async () => {
    const before = (await cases()).length;
    const res = await nurse.post('/api/schedule/import', { csv: `${header}\n${day},10:00,Salle 1,IMP-N,Roux,Anne,1961-05-06,genicular/left`, mode: 'import' });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await cases()).length).toBe(before);
  });

  it('answers a file without its columns with a translated problem', async () => {
    const res = await coordinator.request('POST', '/api/schedule/import', { csv: 'nom;prénom\nRoux;Anne', mode: 'preview' }, { 'accept-language': 'fr' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('Colonnes absentes de la ligne d’en-tête\u00a0: date, time, mrn, birth_date.');
  });

  it('previews without storing, then imports the valid lines once, even when the import is sent twice', async () => {
    const csv = [
      header,
      `${day},10:00,Salle 1,IMP-A,Roux,Anne,1961-05-06,genicular/left`,
      // The MRN on file names Hélène Durand: a typo here would file this case in her record.
      `${day},10:30,Salle 1,IMP-KNOWN,Martin,Paul,1960-01-01,genicular/right`,
      // Twice the same new MRN for two people: the second is refused, as it would be typed later.
      `${day},11:00,,IMP-B,Blanc,Marc,1970-02-02,genicular/right`,
      `${day},11:30,,IMP-B,Noir,Luc,1971-03-03,genicular/right`,
      `${day},12:00,,IMP-C,Vert,Lise,2999-01-01,genicular/right`,
    ].join('\n');
    const before = (await cases()).length;
    const preview = await coordinator.post('/api/schedule/import', { csv, mode: 'preview' });
    expect(preview.status).toBe(200);
    expect(preview.body.rows.map((r: { ok: boolean; problems: { code: string }[] }) => [r.ok, r.problems.map((p) => p.code)])).toEqual([
      [true, []],
      [false, ['mrn_other_patient']],
      [true, []],
      [false, ['mrn_other_patient']],
      [false, ['birth_date_in_future']],
    ]);
    expect(preview.body.valid).toBe(2);
    expect((await cases()).length).toBe(before);

    const key = { 'idempotency-key': 'import-key-0001' };
    const imported = await coordinator.post('/api/schedule/import', { csv, mode: 'import' }, key);
    expect(imported.status).toBe(200);
    expect(imported.body.imported).toBe(2);
    expect(imported.body.rows.filter((r: { caseId?: string }) => r.caseId)).toHaveLength(2);
    const again = await coordinator.post('/api/schedule/import', { csv, mode: 'import' }, key);
    expect(again.body.imported).toBe(0);
    const mrns = (await cases()).map((c) => c.patient.mrn);
    expect(mrns.filter((m) => m === 'IMP-A')).toHaveLength(1);
    expect(mrns.filter((m) => m === 'IMP-B')).toHaveLength(1);
    expect(mrns).not.toContain('IMP-C');
  });
});
