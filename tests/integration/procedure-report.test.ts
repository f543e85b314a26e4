import { validateResource } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from '../../server/interfaces/fhir-definitions';
import { Api } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

// The demo's CT-guided case, signed by the radiologist: the report over HTTP in both languages, a
// second version only with its reason, and the FHIR DiagnosticReport that carries the signed text.
describe('the procedure report: GET /api/cases/:id/report, sign_report, FHIR DiagnosticReport', () => {
  let server: TestServer;
  let radiologist: Api;
  let nurse: Api;
  let id: string;

  beforeAll(async () => {
    // The export is checked by the validator the FHIR inbox uses, with the same R4 definitions.
    await loadFhirDefinitions();
    server = await startServer({ CRYODAY_DEMO: '1' });
    [radiologist, nurse] = await Promise.all([Api.login(server, 'radiologist', 'demo'), Api.login(server, 'nurse', 'demo')]);
    id = ((await radiologist.get('/api/cases')).body.cases as { id: string; patient: { lastName: string } }[]).find((c) => c.patient.lastName === 'Benali')!.id;
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('drafts the report from the log in French, English on request, with the lot, the DLP and its machine; the demo signed version 1', async () => {
    const fr = (await nurse.get(`/api/cases/${id}/report`)).body;
    expect(fr.lang).toBe('fr');
    for (const expected of ['Compte rendu de cryoneurolyse', 'Douleur post-fracture de côtes', 'Nerf intercostal T6 — Gauche', 'Scanner', 'Lot CP24203', 'PDL (mGy·cm) 286', 'GE Revolution EVO (salle 2)', 'Dr Laurent Roche', 'sans complication immédiate'])
      expect(fr.text, expected).toContain(expected);
    expect(fr.signed).toMatchObject({ version: 1, lang: 'fr', by: { name: 'Dr Laurent Roche' } });
    expect(fr.signed.text).toBe(fr.text);
    expect(fr.changedSinceSigned).toBe(false);
    const en = (await nurse.get(`/api/cases/${id}/report?lang=en`)).body;
    expect(en.text).toContain('DLP (mGy·cm) 286');
    expect(en.text).toContain('Lot CP24203');
    expect((await nurse.get('/api/cases/nope/report')).status).toBe(404);
  });

  it('the demo’s CT case on two ribs: each target with its cycles, both probes’ lots, the CT dose and machine, the signed conclusion', async () => {
    const report = (await nurse.get(`/api/cases/${id}/report`)).body as { draft: { sections: { title: string; lines: string[] }[] }; signed: { text: string } };
    const section = (title: string) => report.draft.sections.find((s) => s.title === title)?.lines ?? [];
    const T6 = 'Nerf intercostal T6 — Gauche';
    const T7 = 'Nerf intercostal T7 — Gauche';
    expect(section('Indication')).toEqual(['Douleur post-fracture de côtes']);
    expect(section('Cibles')).toEqual([`Prévues\u00a0: ${T6}, ${T7}`, `Traitées\u00a0: ${T6}, ${T7}`]);
    expect(section('Guidage')).toEqual(['Scanner']);
    expect(section('Anesthésie locale')).toEqual(['Lidocaïne 1\u00a0% 5\u00a0mL 50\u00a0mg']);
    const cycle = (n: number, temp: number) => `Cycle ${n}\u00a0: Protoxyde d'azote (N₂O), congélation 180\u00a0s, minimum ${temp}\u00a0°C, glaçon 9\u00a0mm, stimulation Sensitive`;
    expect(section(`Cycles sur ${T6}`)).toEqual([cycle(1, -78), cycle(2, -82)]);
    expect(section(`Cycles sur ${T7}`)).toEqual([cycle(3, -78), cycle(4, -82)]);
    const probes = section('Dispositifs (lots)').filter((l) => l.startsWith('Sonde de cryothérapie'));
    expect(probes.map((l) => /Lot (\S+)/.exec(l)?.[1])).toEqual(['CP24203', 'CP24211']);
    expect(section('Dispositifs (lots)').some((l) => l.startsWith('Introducteur') && l.includes('Lot IN2409A'))).toBe(true);
    expect(section('Dose d’irradiation et appareil')).toEqual(['Scanner — GE Revolution EVO (salle 2) — PDL (mGy·cm) 286 — IDSV (mGy) 8,4']);
    expect(section('Complications')).toEqual(['néant']);
    expect(section('Opérateur')).toEqual(['Dr Laurent Roche']);
    expect(section('Conclusion')).toEqual(['Cryoneurolyse intercostale T6 et T7 gauches sous scanner, deux cycles par niveau, sans complication immédiate.']);
    // What the demo signed is this very draft, both targets included.
    expect(report.signed.text).toContain(`Cycles sur ${T7}`);
    expect(report.signed.text).toContain('Lot CP24211');
  });

  it('a change after the signature: the nurse may not sign; the radiologist signs again only with a reason; version 1 keeps its words', async () => {
    const version = async () => (await radiologist.get(`/api/cases/${id}`)).body.case.version as number;
    expect((await nurse.post(`/api/cases/${id}/commands`, { type: 'sign_report', lang: 'fr', expectedVersion: await version() })).status).toBe(403);
    await radiologist.command(id, { type: 'record_complication', kind: 'hematoma', grade: 1, note: 'Petit hématome au point de ponction' });
    await radiologist.command(id, { type: 'record_report_conclusion', conclusion: 'Cryoneurolyse T6 gauche sous scanner ; petit hématome au point de ponction, résolu.' });
    expect((await radiologist.get(`/api/cases/${id}/report`)).body.changedSinceSigned).toBe(true);
    const refused = await new Api(server, radiologist.cookie, 'fr').post(`/api/cases/${id}/commands`, { type: 'sign_report', lang: 'fr', expectedVersion: await version() });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ rule: 'report_change_reason_required', detail: expect.stringContaining('version 1') });
    await radiologist.command(id, { type: 'sign_report', lang: 'fr', reason: 'Complication ajoutée après la sortie de salle' });
    const report = (await radiologist.get(`/api/cases/${id}/report`)).body;
    expect(report.signatures.map((s: { version: number; reason?: string }) => [s.version, s.reason ?? null])).toEqual([
      [1, null],
      [2, 'Complication ajoutée après la sortie de salle'],
    ]);
    expect(report.signatures[0].text).not.toContain('résolu');
    expect(report.signatures[1].text).toContain('résolu');

    const bundle = (await radiologist.get(`/api/cases/${id}/fhir`)).body as { entry: { resource: Record<string, any> }[] };
    const diagnostic = bundle.entry.map((e) => e.resource).find((r) => r.resourceType === 'DiagnosticReport')!;
    expect(diagnostic).toMatchObject({ status: 'amended', code: { coding: [{ system: 'http://loinc.org', code: '18748-4' }] }, resultsInterpreter: [{ display: 'Dr Laurent Roche' }] });
    expect(Buffer.from(diagnostic.presentedForm[0].data, 'base64').toString('utf8')).toBe(report.signatures[1].text);
    expect(validateResource(diagnostic as never).filter((i) => i.severity === 'error')).toEqual([]);
  });
});
