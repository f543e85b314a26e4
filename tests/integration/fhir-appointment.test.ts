import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, TEST_PASSWORD, seedStaff } from '../support/api';
import { appointment, inHours, postFhir } from '../support/fhir';
import { removeDir, startServer, type TestServer } from '../support/server';

describe('FHIR R4 bookings', () => {
  let server: TestServer;
  let coordinator: Api;
  let nurse: Api;
  let engine: Api;

  beforeAll(async () => {
    server = await startServer();
    await seedStaff(server);
    await server.app.accounts.createStaff({ username: 'fhir-engine', displayName: 'Passerelle FHIR', role: 'interface', password: TEST_PASSWORD });
    [coordinator, nurse, engine] = await Promise.all([Api.login(server, 'coordinator'), Api.login(server, 'nurse'), Api.login(server, 'fhir-engine')]);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  const caseOf = async (id: string) => (await coordinator.get(`/api/cases/${id}`)).body;

  it('creates the case from an Appointment, under "Interface FHIR", with targets to complete', async () => {
    const body = appointment();
    const res = await postFhir(engine, '/api/fhir/Appointment', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    expect(res.body.resourceType).toBe('Appointment');
    const { case: state, timeline } = await caseOf(res.body.id);
    expect(state.patient).toMatchObject({ lastName: 'François', firstName: 'Maëlle', mrn: body.contained[0].identifier[0].value, birthDate: '1956-07-21', sex: 'female' });
    expect(state.scheduledAt).toBe(new Date(body.start).toISOString());
    expect(state.plannedRoomId).toBe('room-2');
    expect(state.plannedTargets).toEqual([]);
    expect(timeline[0].actor.name).toBe('Interface FHIR');
    const [stored] = (await server.app.store.inboxMessages({ limit: 1 }));
    expect(stored).toMatchObject({ channel: 'fhir', sender: 'fhir-engine', status: 'applied', caseId: res.body.id, messageType: 'Appointment' });
  });

  it('updates the same case when the Appointment comes again with its identifier, and cancels it on status cancelled', async () => {
    const body = appointment();
    const created = await postFhir(coordinator, '/api/fhir/Appointment', body);
    expect(created.status).toBe(201);
    const later = inHours(5);
    const moved = await postFhir(engine, '/api/fhir/Appointment', { ...body, start: later, end: inHours(6) });
    expect(moved.status).toBe(200);
    expect(moved.body.id).toBe(created.body.id);
    expect((await caseOf(created.body.id)).case.scheduledAt).toBe(new Date(later).toISOString());

    const cancelled = await postFhir(engine, '/api/fhir/Appointment', { ...body, status: 'cancelled', cancelationReason: { text: 'Patient hospitalisé' } });
    expect(cancelled.status).toBe(200);
    expect((await caseOf(created.body.id)).case.stage).toBe('cancelled');
  });

  it('books from a transaction Bundle of the Appointment and its Patient', async () => {
    const lone = appointment();
    const patient = { ...lone.contained[0], id: undefined };
    delete patient.id;
    const { contained: _c, ...withoutContained } = lone;
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:4d1c3b8e-2f0a-4c61-9f3e-0b7a5d2e9c11', resource: patient, request: { method: 'POST', url: 'Patient' } },
        {
          fullUrl: 'urn:uuid:9a7e2c44-1b3d-4e8f-a6c5-3d2b1f0e8a77',
          resource: { ...withoutContained, participant: [{ actor: { reference: 'urn:uuid:4d1c3b8e-2f0a-4c61-9f3e-0b7a5d2e9c11' }, status: 'accepted' }] },
          request: { method: 'POST', url: 'Appointment' },
        },
      ],
    };
    const res = await postFhir(engine, '/api/fhir', bundle);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'transaction-response' });
    const location = res.body.entry[1].response.location as string;
    expect(res.body.entry[1].response.status).toBe('201 Created');
    const { case: state } = await caseOf(location.replace('Appointment/', ''));
    expect(state.patient.lastName).toBe('François');
    expect(state.plannedRoomId).toBeNull();
  });

  it('answers invalid FHIR with an OperationOutcome in the reader’s language, and books nothing', async () => {
    const before = (await coordinator.get('/api/cases')).body.cases.length;
    const { participant: _p, ...noParticipant } = appointment();
    // A valid status this unit does not book from.
    const res = await postFhir(engine, '/api/fhir/Appointment', { ...appointment(), status: 'fulfilled' }, 'fr');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/fhir+json');
    expect(res.body.resourceType).toBe('OperationOutcome');
    expect(res.body.issue[0].code).toBe('not-supported');
    expect(res.body.issue[0].details.text).toBe('Ce type de message (Appointment.status fulfilled) n’est pas pris en charge.');

    const broken = await postFhir(engine, '/api/fhir/Appointment', noParticipant, 'fr');
    expect(broken.status).toBe(400);
    expect(broken.body.issue[0]).toMatchObject({ code: 'invalid', diagnostics: 'message_unreadable' });
    expect(broken.body.issue[0].details.text).toMatch(/^Le message ne peut pas être lu \(Appointment.*participant/);

    const garbage = await engine.request('POST', '/api/fhir/Appointment', '{"resourceType": "Appointment", ', { 'content-type': 'application/fhir+json' });
    expect(garbage.status).toBe(400);
    expect(garbage.body.issue[0].diagnostics).toBe('message_unreadable');
    expect((await coordinator.get('/api/cases')).body.cases.length).toBe(before);
  });

  it('says where an unreadable post is wrong without quoting what it carried: the reason is shown to admins, who read no patient data', async () => {
    const cut = await engine.request('POST', '/api/fhir/Appointment', '{"resourceType": "Appointment", "comment": Mme Jeanne Dupont}', { 'content-type': 'application/fhir+json' });
    const badValue = await postFhir(engine, '/api/fhir/Appointment', { ...appointment(), start: 'Jeanne Dupont' }, 'fr');
    for (const res of [cut, badValue]) {
      expect(res.status).toBe(400);
      expect(res.body.issue[0].diagnostics).toBe('message_unreadable');
      expect(res.body.issue[0].details.text).not.toContain('Jeanne');
    }
    expect(badValue.body.issue[0].details.text).toContain('Appointment.start');
    const reasons = (await server.app.store.inboxMessages({ limit: 2 })).map((m) => JSON.stringify(m.params));
    expect(reasons.join(' ')).not.toContain('Jeanne');
  });

  it('refuses by the machine’s rules: an MRN naming another patient, a cancel of an unknown appointment', async () => {
    const first = appointment();
    expect((await postFhir(engine, '/api/fhir/Appointment', first)).status).toBe(201);
    const mrn = first.contained[0].identifier;
    const other = await postFhir(engine, '/api/fhir/Appointment', appointment({}, { identifier: mrn, name: [{ family: 'Roux', given: ['Paul'] }], birthDate: '1970-01-01', gender: 'male' }));
    expect(other.status).toBe(422);
    expect(other.body.issue[0]).toMatchObject({ code: 'business-rule', details: { coding: [{ system: 'urn:cryoday:rule', code: 'mrn_other_patient' }] } });

    const unknown = await postFhir(engine, '/api/fhir/Appointment', appointment({ status: 'cancelled' }), 'fr');
    expect(unknown.status).toBe(422);
    expect(unknown.body.issue[0].details.text).toContain('Aucun patient programmé ne porte ce rendez-vous');
    const refused = (await server.app.store.inboxMessages({ limit: 5, status: 'refused' })).map((m) => m.rule);
    expect(refused).toEqual(expect.arrayContaining(['mrn_other_patient', 'appointment_unknown']));
  });

  it('lets only the coordinator and the interface account post, and the interface account reach nothing else', async () => {
    const denied = await postFhir(nurse, '/api/fhir/Appointment', appointment());
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'forbidden' }] });
    expect((await server.app.store.inboxMessages({ limit: 50 })).every((m) => m.sender !== 'nurse')).toBe(true);

    for (const path of ['/api/cases', '/api/rooms', '/api/unit/equipment']) {
      const res = await engine.get(path);
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await engine.post('/api/cases', {})).status).toBe(403);
  });
});
