import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, bookCaseInThePast, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

describe('concurrent, retried and restarted commands', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;
  let otherNurse: Api;

  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    otherNurse = await Api.login(server, 'nurse');
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('lets exactly one of two tablets racing on the same version win; the other gets 409 with the current version', async () => {
    const caseId = await bookCaseInThePast(server, staff.coordinator, 30);
    const [a, b] = await Promise.all([
      nurse.post(`/api/cases/${caseId}/commands`, { type: 'admit', expectedVersion: 1 }),
      otherNurse.post(`/api/cases/${caseId}/commands`, { type: 'admit', expectedVersion: 1 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    expect(loser.body).toMatchObject({ code: 'version_conflict', currentVersion: 2 });
    const timeline = (await nurse.get(`/api/cases/${caseId}`)).body.timeline;
    expect(timeline.filter((e: any) => e.type === 'PatientAdmitted')).toHaveLength(1);
  });

  it('answers a retried Idempotency-Key with the first answer and records nothing twice', async () => {
    const caseId = await bookCaseInThePast(server, staff.coordinator, 30);
    const key = 'tablet-3:7f1c2a9e';
    const body = { type: 'admit', expectedVersion: 1 };
    const first = await nurse.post(`/api/cases/${caseId}/commands`, body, { 'idempotency-key': key });
    const retry = await nurse.post(`/api/cases/${caseId}/commands`, body, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect((await nurse.get(`/api/cases/${caseId}`)).body.case.version).toBe(2);

    const reused = await nurse.post(`/api/cases/${caseId}/commands`, { ...body, expectedVersion: 2 }, { 'idempotency-key': key });
    expect(reused.status).toBe(422);
    expect(reused.body.code).toBe('idempotency_key_reused');
  });

  it('keeps everything across a restart on the same file: cases, seq, sessions and idempotent answers', async () => {
    const caseId = await bookCaseInThePast(server, staff.coordinator, 30);
    const key = 'tablet-1:restart-check';
    const admitted = await nurse.post(`/api/cases/${caseId}/commands`, { type: 'admit', expectedVersion: 1 }, { 'idempotency-key': key });
    expect(admitted.status).toBe(200);
    await nurse.command(caseId, { type: 'record_checklist', ...COMPLETE_CHECKLIST });
    const seqBefore = (await (await fetch(`${server.url}/api/health`)).json()).seq;

    await server.close();
    server = await startServer({}, server.dir);
    const again = new Api(server, nurse.cookie);

    expect((await (await fetch(`${server.url}/api/health`)).json()).seq).toBe(seqBefore);
    const detail = await again.get(`/api/cases/${caseId}`);
    expect(detail.status).toBe(200);
    expect(detail.body.case).toMatchObject({ stage: 'admitted', version: 3 });
    const replay = await again.post(`/api/cases/${caseId}/commands`, { type: 'admit', expectedVersion: 1 }, { 'idempotency-key': key });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual(admitted.body);

    const next = await again.command(caseId, { type: 'mark_ready' });
    expect(next.events[0].seq).toBe(seqBefore + 1);
  });
});
