import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, bookCaseInThePast, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';
import { sql } from '../support/sql';

describe('bad input gets a clear 4xx problem and changes nothing', () => {
  let server: TestServer;
  let nurse: Api;
  let coordinator: Api;
  let caseId: string;

  beforeAll(async () => {
    server = await startServer();
    const staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    coordinator = await Api.login(server, 'coordinator');
    caseId = await bookCaseInThePast(server, staff.coordinator, 30);
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  const dbFingerprint = async () =>
    JSON.stringify([
      await sql(server, 'select count(*) n, max(seq) s from events'),
      await sql(server, 'select id, version, stage from cases order by id'),
      await sql(server, 'select id, status, case_id from rooms order by id'),
    ]);

  const commandsPath = () => `/api/cases/${caseId}/commands`;
  const deep = (n: number): unknown => (n === 0 ? 1 : { a: deep(n - 1) });
  const cases: { name: string; send: () => Promise<{ status: number; body: any; headers: Headers }>; status: number; code: string; field?: string }[] = [
    { name: 'malformed JSON', send: () => nurse.post(commandsPath(), '{"type": "admit", '), status: 400, code: 'validation_failed' },
    { name: 'empty JSON body', send: () => nurse.request('POST', commandsPath(), '', { 'content-type': 'application/json' }), status: 400, code: 'validation_failed' },
    { name: 'not JSON at all', send: () => nurse.request('POST', commandsPath(), 'type=admit', { 'content-type': 'text/plain' }), status: 415, code: 'unsupported_media_type' },
    { name: 'unknown command type', send: () => nurse.post(commandsPath(), { type: 'teleport', expectedVersion: 1 }), status: 400, code: 'validation_failed', field: 'type' },
    { name: 'command type of the wrong kind', send: () => nurse.post(commandsPath(), { type: 42, expectedVersion: 1 }), status: 400, code: 'validation_failed' },
    { name: 'version as a string', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: '1' }), status: 400, code: 'validation_failed', field: 'expectedVersion' },
    { name: 'negative version', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: -1 }), status: 400, code: 'validation_failed', field: 'expectedVersion' },
    { name: 'missing version', send: () => nurse.post(commandsPath(), { type: 'admit' }), status: 400, code: 'validation_failed', field: 'expectedVersion' },
    { name: 'unknown field', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: 1, bypass: true }), status: 400, code: 'validation_failed', field: 'bypass' },
    { name: 'missing payload field', send: () => nurse.post(commandsPath(), { type: 'enter_room', expectedVersion: 1 }), status: 400, code: 'validation_failed', field: 'roomId' },
    { name: 'huge string', send: () => nurse.post(commandsPath(), { type: 'cancel', reason: 'other', note: 'x'.repeat(5000), expectedVersion: 1 }), status: 400, code: 'validation_failed', field: 'note' },
    { name: 'body over the size limit', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: 1, pad: 'x'.repeat(200_000) }), status: 413, code: 'payload_too_large' },
    { name: 'deeply nested JSON', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: 1, x: deep(2000) }), status: 400, code: 'validation_failed' },
    { name: 'prototype pollution attempt', send: () => nurse.post(commandsPath(), '{"type":"admit","expectedVersion":1,"__proto__":{"admin":true}}'), status: 400, code: 'validation_failed' },
    { name: 'occurredAt not a date', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: 1, occurredAt: 'yesterday' }), status: 400, code: 'validation_failed', field: 'occurredAt' },
    { name: 'occurredAt on a leap second JavaScript cannot read', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: 1, occurredAt: '2016-12-31T23:59:60Z' }), status: 400, code: 'validation_failed', field: 'occurredAt' },
    { name: 'schedule on a leap second', send: () => coordinator.post('/api/cases', { patient: { firstName: 'A', lastName: 'B', mrn: 'L1', birthDate: '1958-02-03' }, scheduledAt: '2016-12-31T23:59:60Z', plannedTargets: [{ nerve: 'genicular', side: 'right' }] }), status: 400, code: 'validation_failed', field: 'scheduledAt' },
    { name: 'occurredAt in the future', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: 1, occurredAt: new Date(Date.now() + 3_600_000).toISOString() }), status: 422, code: 'rule_violated' },
    { name: 'unknown case', send: () => nurse.post('/api/cases/no-such-case/commands', { type: 'admit', expectedVersion: 1 }), status: 404, code: 'not_found' },
    { name: 'path trick', send: () => nurse.get('/api/cases/..%2F..%2Fetc%2Fpasswd'), status: 404, code: 'not_found' },
    { name: 'over-long id', send: () => nurse.get(`/api/cases/${'a'.repeat(500)}`), status: 414, code: 'validation_failed' },
    { name: 'id over the schema limit', send: () => nurse.get(`/api/cases/${'a'.repeat(80)}`), status: 400, code: 'validation_failed', field: 'id' },
    { name: 'bad date filter', send: () => nurse.get('/api/cases?date=25/11/2026'), status: 400, code: 'validation_failed', field: 'date' },
    { name: 'unknown room', send: () => nurse.post('/api/rooms/room-99/commands', { type: 'room_ready' }), status: 404, code: 'not_found' },
    { name: 'room command of the wrong type', send: () => nurse.post('/api/rooms/room-1/commands', { type: 'admit' }), status: 400, code: 'validation_failed' },
    { name: 'stale version', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: 7 }), status: 409, code: 'version_conflict' },
    { name: 'command not allowed at this stage', send: () => nurse.post(commandsPath(), { type: 'discharge', escortConfirmed: true, instructionsGiven: true, expectedVersion: 1 }), status: 422, code: 'not_allowed_in_stage' },
    { name: 'idempotency key with spaces', send: () => nurse.post(commandsPath(), { type: 'admit', expectedVersion: 1 }, { 'idempotency-key': 'has spaces in it' }), status: 400, code: 'validation_failed' },
    { name: 'schedule with an impossible birth date', send: () => nurse.post('/api/cases', { patient: { firstName: 'A', lastName: 'B', mrn: '1', birthDate: '1958-02-31' }, scheduledAt: new Date().toISOString(), plannedTargets: [{ nerve: 'genicular', side: 'right' }] }), status: 400, code: 'validation_failed' },
  ];

  it.each(cases)('$name → $status $code', async ({ send, status, code, field }) => {
    const before = await dbFingerprint();
    const res = await send();
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, code });
    expect(typeof res.body.detail).toBe('string');
    expect(res.body.detail.length).toBeGreaterThan(5);
    if (field) expect(res.body.errors.map((e: any) => e.field).join(' ')).toContain(field);
    expect(await dbFingerprint()).toBe(before);
  });

  it('speaks French by default and English when asked', async () => {
    // No Accept-Language at all: the unit's language.
    const res = await fetch(`${server.url}${commandsPath()}`, {
      method: 'POST',
      headers: { cookie: nurse.cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'admit', expectedVersion: 9 }),
    });
    const byDefault = (await res.json()) as { detail: string };
    const fr = await new Api(server, nurse.cookie, 'fr').post(commandsPath(), { type: 'admit', expectedVersion: 9 });
    const en = await nurse.post(commandsPath(), { type: 'admit', expectedVersion: 9 });
    expect(byDefault.detail).toMatch(/dossier a changé/);
    expect(res.headers.get('content-language')).toBe('fr');
    expect(fr.body.detail).toMatch(/dossier a changé/);
    expect(en.body.detail).toMatch(/case changed/);
    expect(en.headers.get('content-language')).toBe('en');
  });

  it('refuses to file a case under a known MRN with another name or birth date, and accepts the same person again', async () => {
    const patient = { firstName: 'Jeanne', lastName: 'Moreau', mrn: 'IPP-77', birthDate: '1950-01-23' };
    const body = (p: typeof patient) => ({ patient: p, scheduledAt: new Date().toISOString(), plannedTargets: [{ nerve: 'genicular', side: 'left' }] });
    expect((await coordinator.post('/api/cases', body(patient))).status).toBe(201);
    const before = await dbFingerprint();
    for (const other of [{ ...patient, lastName: 'Moreau-Blanc' }, { ...patient, birthDate: '1950-01-24' }]) {
      const res = await coordinator.post('/api/cases', body(other));
      // A broken rule like any other (409 means a stale version), named so a client can point at the MRN.
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ code: 'rule_violated', rule: 'mrn_other_patient' });
      expect(res.body.detail).toContain('medical record number');
      expect(res.body.detail).not.toContain('Jeanne');
    }
    expect(await dbFingerprint()).toBe(before);
    expect((await coordinator.post('/api/cases', body({ ...patient, lastName: ' MOREAU ' }))).status).toBe(201);
  });

  it('stores every instant in UTC, whatever offset the client wrote it with', async () => {
    const res = await coordinator.post('/api/cases', {
      patient: { firstName: 'Paul', lastName: 'Offset', mrn: 'TZ-1', birthDate: '1960-05-06' },
      scheduledAt: '2026-11-25T09:30:00+01:00',
      plannedTargets: [{ nerve: 'genicular', side: 'left' }],
    });
    expect(res.status).toBe(201);
    expect(res.body.case.scheduledAt).toBe('2026-11-25T08:30:00.000Z');
    const stored = await nurse.get(`/api/cases/${res.body.case.id}`);
    expect(stored.body.case.scheduledAt).toBe('2026-11-25T08:30:00.000Z');
    const occurredAt = new Date(Date.now() + 5_000); // within the allowed clock skew, after the scheduling
    const local = `${new Date(occurredAt.getTime() + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00`;
    const admitted = await nurse.post(`/api/cases/${res.body.case.id}/commands`, { type: 'admit', expectedVersion: 1, occurredAt: local });
    expect(admitted.status).toBe(200);
    expect(admitted.body.events[0].occurredAt).toBe(new Date(Math.floor(occurredAt.getTime() / 1000) * 1000).toISOString());
  });
});
