import { validateResource } from '@medplum/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFhirDefinitions } from '../../server/interfaces/fhir-definitions';
import { Api, COMPLETE_CHECKLIST, bookCaseInThePast, newCaseBody } from '../support/api';
import { LIDOCAINE, sendSpaced, timeOutOf } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';

 
type Resource = { resourceType: string } & Record<string, any>;
type Bundle = Resource & { entry: { fullUrl: string; resource: Resource }[] };

/** Medplum's R4 validator (someone else's reading of the spec), errors only: warnings are advice. */
function errorsOf(resource: Resource): string[] {
  try {
    return validateResource(resource as never)
      .filter((i) => i.severity === 'error' || i.severity === 'fatal')
      .map((i) => `${i.expression?.join(',')}: ${i.details?.text}`);
  } catch (error) {
    const outcome = (error as { outcome?: { issue?: { severity: string; expression?: string[]; details?: { text?: string } }[] } }).outcome;
    if (!outcome?.issue) throw error;
    return outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => `${i.expression?.join(',')}: ${i.details?.text}`);
  }
}

describe('FHIR R4 export of a case', () => {
  let server: TestServer;
  let radiologist: Api;
  let cases: { id: string; stage: string; patient: { lastName: string } }[];

  beforeAll(async () => {
    // The export is checked by the validator the FHIR inbox uses, with the same R4 definitions.
    await loadFhirDefinitions();
    // A fourth room, free, for the case a test takes through the procedure itself.
    server = await startServer({ CRYODAY_DEMO: '1', ROOMS: 'Salle 1,Salle 2,Salle 3,Salle 4' });
    radiologist = await Api.login(server, 'radiologist', 'demo');
    cases = (await radiologist.get('/api/cases')).body.cases;
  });

  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  const bundleOf = async (lastName: string): Promise<Bundle> => {
    const id = cases.find((c) => c.patient.lastName === lastName)!.id;
    const res = await radiologist.get(`/api/cases/${id}/fhir`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    return res.body;
  };

  it('validates every entry and the Bundle of every demo case with zero errors', async () => {
    expect(cases.length).toBeGreaterThan(5);
    // The validator does catch a broken resource (a vital sign without its code), so a pass means something.
    expect(errorsOf({ resourceType: 'Observation', status: 'final', valueQuantity: { value: 'x' } })).not.toEqual([]);
    for (const c of cases) {
      const bundle = (await radiologist.get(`/api/cases/${c.id}/fhir`)).body as Bundle;
      expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
      expect(errorsOf(bundle), `bundle of ${c.stage}: ${JSON.stringify(errorsOf(bundle))}`).toEqual([]);
      for (const { resource } of bundle.entry) expect(errorsOf(resource), `${resource.resourceType} of ${c.stage}`).toEqual([]);
      // References stay inside the bundle: every urn:uuid points at an entry.
      const fullUrls = new Set(bundle.entry.map((e) => e.fullUrl));
      for (const reference of JSON.stringify(bundle).match(/"reference":"[^"]+"/g) ?? []) {
        expect(fullUrls.has(reference.slice(13, -1)), reference).toBe(true);
      }
      for (const e of bundle.entry) expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });

  it('maps a discharged patient: identity, a finished ambulatory encounter, the procedure, its cycles and LOINC vitals', async () => {
    const bundle = await bundleOf('Durand');
    const of = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
    const patient = of('Patient')[0]!;
    expect(patient).toMatchObject({
      gender: 'female',
      birthDate: '1958-03-14',
      name: [{ family: 'Durand', given: ['Hélène'] }],
      identifier: [{ value: 'MRN-100231', type: { coding: [{ code: 'MR' }] } }],
    });

    const encounter = of('Encounter')[0]!;
    expect(encounter.status).toBe('finished');
    expect(encounter.class).toMatchObject({ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' });
    expect(encounter.statusHistory.map((h: { status: string }) => h.status)).toEqual(['planned', 'arrived', 'in-progress', 'finished']);
    expect(encounter.location[0]).toMatchObject({ status: 'completed', location: { display: 'Salle 1' } });
    expect(encounter.location[0].period.end).toBeDefined();

    const procedures = of('Procedure');
    const parent = procedures.find((p) => !p.partOf)!;
    const parentUrl = bundle.entry.find((e) => e.resource === parent)!.fullUrl;
    expect(parent.status).toBe('completed');
    expect(parent.code.coding).toContainEqual({ system: 'http://snomed.info/sct', code: '26782000', display: 'Cryotherapy (procedure)' });
    expect(parent.performedPeriod.start < parent.performedPeriod.end).toBe(true);
    expect(parent.bodySite[0].coding[0]).toMatchObject({ code: 'genicular' });
    const structure = of('BodyStructure')[0]!;
    expect(structure.locationQualifier[0].coding[0]).toMatchObject({ system: 'http://snomed.info/sct', code: '24028007' });
    const children = procedures.filter((p) => p.partOf);
    expect(children).toHaveLength(2);
    for (const child of children) {
      expect(child.partOf).toEqual([{ reference: parentUrl }]);
      expect(child.status).toBe('completed');
    }
    const temps = of('Observation').filter((o) => o.code.coding[0].code === 'probe-lowest-temperature');
    expect(temps.map((o) => o.valueQuantity)).toEqual([
      { value: -78, unit: '°C', system: 'http://unitsofmeasure.org', code: 'Cel' },
      { value: -82, unit: '°C', system: 'http://unitsofmeasure.org', code: 'Cel' },
    ]);

    const vitals = of('Observation').filter((o) => o.category[0].coding[0].code === 'vital-signs');
    const codes = vitals.map((o) => o.code.coding.map((c: { code: string }) => c.code).join('+'));
    // The weight the dose maximum was computed from is a vital sign too (LOINC 29463-7, kg).
    expect(new Set(codes)).toEqual(new Set(['8867-4', '85354-9', '2708-6+59408-5', '29463-7']));
    expect(vitals.find((o) => o.code.coding[0].code === '29463-7')!.valueQuantity).toEqual({ value: 68, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' });
    for (const o of vitals) expect(o.category[0].coding[0].system).toBe('http://terminology.hl7.org/CodeSystem/observation-category');
    const bp = vitals.find((o) => o.code.coding[0].code === '85354-9')!;
    expect(bp.component.map((c: { code: { coding: { code: string }[] }; valueQuantity: { code: string } }) => [c.code.coding[0]!.code, c.valueQuantity.code])).toEqual([
      ['8480-6', 'mm[Hg]'],
      ['8462-4', 'mm[Hg]'],
    ]);
    const hr = vitals.find((o) => o.code.coding[0].code === '8867-4')!;
    expect(hr.valueQuantity).toMatchObject({ system: 'http://unitsofmeasure.org', code: '/min' });
    const spo2 = vitals.find((o) => o.code.coding[0].code === '2708-6')!;
    expect(spo2.valueQuantity).toMatchObject({ code: '%' });
    const pain = of('Observation').filter((o) => o.code.coding[0].code === '72514-3');
    expect(pain.map((o) => o.valueInteger)).toEqual([7, 2]);
  });

  it('maps the devices: one Device per label with GS1 UDI, lot, serial and expiry, the procedure’s focal devices, each cycle’s probe', async () => {
    const bundle = await bundleOf('Durand');
    const of = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
    const urlOf = (resource: Resource) => bundle.entry.find((e) => e.resource === resource)!.fullUrl;
    const devices = of('Device');
    expect(devices.map((d) => d.lotNumber).sort()).toEqual(['CP24117', 'IN2409A']);
    const probe = devices.find((d) => d.lotNumber === 'CP24117')!;
    expect(probe).toMatchObject({
      status: 'active',
      serialNumber: 'SN225',
      expirationDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      udiCarrier: [{ deviceIdentifier: expect.stringMatching(/^\d{14}$/), issuer: 'http://hl7.org/fhir/NamingSystem/gs1-di', carrierHRF: expect.stringContaining('(10)CP24117') }],
      patient: { reference: urlOf(of('Patient')[0]!) },
    });
    const parent = of('Procedure').find((p) => !p.partOf)!;
    expect(parent.focalDevice.map((f: { manipulated: { reference: string } }) => f.manipulated.reference).sort()).toEqual(devices.map(urlOf).sort());
    const cycles = of('Procedure').filter((p) => p.partOf);
    for (const cycle of cycles) expect(cycle.usedReference).toEqual([{ reference: urlOf(probe) }]);
    // A device the validator must refuse, so the pass above means something.
    expect(errorsOf({ resourceType: 'Device', lotNumber: 7 })).not.toEqual([]);
  });

  it('maps the procedure-room safety record: time-out and sign-out as Procedure notes, the anaesthetic and the sedation as MedicationAdministration, the Aldrete score', async () => {
    const bundle = await bundleOf('Durand');
    const of = (type: string) => bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === type);
    const parent = of('Procedure').find((p) => !p.partOf)!;
    const parentUrl = bundle.entry.find((e) => e.resource === parent)!.fullUrl;
    const notes = parent.note as { text: string; time?: string; authorString?: string }[];
    const timeOut = notes.find((n) => n.text.startsWith('Time-out'))!;
    expect(timeOut).toMatchObject({ authorString: 'Inès Martin (IDE)', time: expect.any(String) });
    expect(timeOut.text).toContain('Genicular nerves (knee) — Right');
    expect(notes.find((n) => n.text.startsWith('Sign-out'))).toMatchObject({ authorString: 'Dr Laurent Roche' });
    expect(Date.parse(timeOut.time!)).toBeLessThan(Date.parse(parent.performedPeriod.end));

    const given = of('MedicationAdministration');
    const anaesthetic = given.find((g) => g.medicationCodeableConcept.coding?.[0].system === 'http://www.whocc.no/atc')!;
    expect(anaesthetic).toMatchObject({
      status: 'completed',
      partOf: [{ reference: parentUrl }],
      medicationCodeableConcept: { coding: [{ code: 'N01BB02', display: 'Lidocaine' }], text: 'Lidocaine 1 %' },
      dosage: { dose: { value: 50, unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' } },
      performer: [{ actor: { display: 'Dr Laurent Roche' } }],
    });
    expect(given.find((g) => g.medicationCodeableConcept.text === 'Midazolam')).toMatchObject({ dosage: { text: '1 mg' } });
    const aldrete = of('Observation').find((o) => o.code.coding[0].code === 'modified-aldrete-score')!;
    expect(aldrete.valueInteger).toBe(10);
    expect(aldrete.component).toHaveLength(5);
    expect(of('AllergyIntolerance')).toEqual([expect.objectContaining({ code: expect.objectContaining({ coding: [expect.objectContaining({ code: '716186003' })] }) })]);
  });

  it('maps a declared allergy to an AllergyIntolerance with its code and details', async () => {
    const bundle = await bundleOf('Benali');
    const allergies = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'AllergyIntolerance');
    expect(allergies).toHaveLength(1);
    expect(allergies[0]).toMatchObject({
      clinicalStatus: { coding: [{ code: 'active' }] },
      verificationStatus: { coding: [{ code: 'unconfirmed' }] },
      category: ['medication'],
      code: { coding: [{ system: 'urn:cryoday:allergen', code: 'chlorhexidine' }], text: 'Chlorhexidine' },
      note: [{ text: expect.stringContaining('povidone') }],
    });
    expect(errorsOf(allergies[0]!)).toEqual([]);
  });

  it('maps a cancelled case to a cancelled encounter and a not-done procedure with its reason', async () => {
    const bundle = await bundleOf('Blanc');
    const encounter = bundle.entry.find((e) => e.resource.resourceType === 'Encounter')!.resource;
    const procedure = bundle.entry.find((e) => e.resource.resourceType === 'Procedure')!.resource;
    expect(encounter.status).toBe('cancelled');
    expect(procedure.status).toBe('not-done');
    expect(procedure.statusReason.text).toContain('Personne pour le raccompagner');
  });

  it('maps a freeze still running to an in-progress child procedure', async () => {
    const bundle = await bundleOf('Moreau');
    const procedures = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Procedure');
    expect(procedures.find((p) => !p.partOf)!.status).toBe('in-progress');
    expect(procedures.filter((p) => p.partOf).map((p) => p.status)).toEqual(['in-progress']);
  });

  it('maps a freeze that made no ice ball to a valid not-done child procedure, outside the treated sites', async () => {
    const [coordinatorApi, nurse] = await Promise.all([Api.login(server, 'coordinator', 'demo'), Api.login(server, 'nurse', 'demo')]);
    const room = await nurse.freeRoom();
    const planned = { nerve: 'genicular', side: 'right' };
    const second = { nerve: 'genicular', side: 'left' };
    const coordinator = (await coordinatorApi.get('/api/auth/me')).body as { id: string; name: string };
    const id = await bookCaseInThePast(server, { id: coordinator.id, displayName: coordinator.name }, 30, newCaseBody({ plannedRoomId: room, plannedTargets: [planned, second] }));
    const steps = [
      ['nurse', { type: 'admit' }],
      ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST }],
      ['nurse', { type: 'mark_ready' }],
      ['nurse', { type: 'enter_room', roomId: room }],
      ['nurse', timeOutOf([planned, second])],
      ['radiologist', LIDOCAINE],
      // A mis-tap on the second planned site, ended as it was, then the real freeze on the first one.
      ['radiologist', { type: 'position_probe', target: second, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } }],
      ['radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }],
      ['radiologist', { type: 'end_freeze', noIceBall: true, thawMode: 'passive' }],
      ['radiologist', { type: 'end_thaw' }],
      ['radiologist', { type: 'position_probe', target: planned, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 } }],
      ['radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }],
      ['radiologist', { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }],
      ['radiologist', { type: 'end_thaw' }],
      ['radiologist', { type: 'remove_probe' }],
    ] as const;
    await sendSpaced({ nurse, radiologist }, id, steps);

    const bundle = (await radiologist.get(`/api/cases/${id}/fhir`)).body as Bundle;
    expect(errorsOf(bundle)).toEqual([]);
    for (const { resource } of bundle.entry) expect(errorsOf(resource), resource.resourceType).toEqual([]);
    const procedures = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'Procedure');
    const children = procedures.filter((p) => p.partOf);
    expect(children.map((p) => p.status)).toEqual(['not-done', 'completed']);
    expect(children[0]!.statusReason.text).toContain('No ice ball');
    expect(children[0]!.performedPeriod).toBeUndefined();
    // Only the site that was frozen is a treated site of the procedure.
    const parent = procedures.find((p) => !p.partOf)!;
    expect(parent.status).toBe('completed');
    expect(parent.bodySite).toHaveLength(1);
    const sites = bundle.entry.map((e) => e.resource).filter((r) => r.resourceType === 'BodyStructure');
    expect(sites.map((b) => b.locationQualifier[0].coding[0].code)).toEqual(['24028007']); // right only
  });

  it('answers 404 as problem+json for an unknown case', async () => {
    const res = await radiologist.get('/api/cases/nope/fhir');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });
});
