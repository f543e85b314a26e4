import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, seedStaff } from '../support/api';
import { appointment, postFhir } from '../support/fhir';
import { removeDir, startServer, type TestServer } from '../support/server';

// The inbox seen from the Interfaces screen: what became of each message in words and without a
// patient in it, the message's text only for patient-data readers, and a refused message applied again
// once its cause is gone.
describe('/api/interfaces/messages', () => {
  let server: TestServer;
  let admin: Api;
  let coordinator: Api;
  let nurse: Api;
  let booking: Record<string, any>;

  beforeAll(async () => {
    server = await startServer();
    await seedStaff(server);
    [admin, coordinator, nurse] = await Promise.all([Api.login(server, 'admin'), Api.login(server, 'coordinator'), Api.login(server, 'nurse')]);
    admin = new Api(server, admin.cookie, 'fr');
    booking = appointment();
    // The cancel arrives before its booking: refused, the appointment is unknown.
    expect((await postFhir(coordinator, '/api/fhir/Appointment', { ...booking, status: 'cancelled' })).status).toBe(422);
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('lists the messages with their status and reason in words, naming no patient', async () => {
    const res = await admin.get('/api/interfaces/messages?limit=100');
    expect(res.status).toBe(200);
    const [refused] = res.body.messages;
    expect(refused).toMatchObject({ channel: 'fhir', status: 'refused', rule: 'appointment_unknown', messageType: 'Appointment', sender: 'coordinator' });
    expect(refused.reason).toContain(`Aucun patient programmé ne porte ce rendez-vous (${booking.identifier[0].value})`);
    const text = JSON.stringify(res.body);
    for (const identity of ['François', 'Maëlle', booking.contained[0].identifier[0].value, '1956-07-21']) expect(text).not.toContain(identity);
    expect((await admin.get('/api/interfaces/messages?status=applied')).body.messages).toEqual([]);
    expect((await nurse.get('/api/interfaces/messages')).status).toBe(403);
  });

  it('gives the raw message to a coordinator, never to an admin', async () => {
    const [{ id }] = (await admin.get('/api/interfaces/messages')).body.messages;
    const denied = await admin.get(`/api/interfaces/messages/${id}/raw`);
    expect(denied.status).toBe(403);
    expect(denied.headers.get('content-type')).toContain('application/problem+json');
    const raw = await coordinator.get(`/api/interfaces/messages/${id}/raw`);
    expect(raw.status).toBe(200);
    expect(JSON.parse(raw.body.raw)).toMatchObject({ resourceType: 'Appointment', status: 'cancelled' });
    expect((await coordinator.get('/api/interfaces/messages/999999/raw')).status).toBe(404);
    expect((await coordinator.get('/api/interfaces/messages/abc/raw')).status).toBe(400);
  });

  it('applies a refused message again once its cause is fixed, and never an applied one', async () => {
    const [{ id }] = (await admin.get('/api/interfaces/messages')).body.messages;
    // Still refused: nothing has changed.
    const still = await admin.post(`/api/interfaces/messages/${id}/apply`);
    expect(still.status).toBe(200);
    expect(still.body.status).toBe('refused');

    const booked = await postFhir(coordinator, '/api/fhir/Appointment', booking);
    expect(booked.status).toBe(201);
    const applied = await admin.post(`/api/interfaces/messages/${id}/apply`);
    expect(applied.body).toMatchObject({ id, status: 'applied', rule: null, reason: null, caseId: booked.body.id });
    expect((await coordinator.get(`/api/cases/${booked.body.id}`)).body.case.stage).toBe('cancelled');

    const again = await admin.post(`/api/interfaces/messages/${id}/apply`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('Seul un message refusé ou illisible s’applique à nouveau\u00a0: celui-ci a été appliqué.');
    expect((await nurse.post(`/api/interfaces/messages/${id}/apply`)).status).toBe(403);
  });
});
