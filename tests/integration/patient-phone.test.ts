import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, LiveClient, newCaseBody, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

// The admit command takes the patient's own phone, with the escort phone's rule; it stays off the board.
describe('patient phone at admission over HTTP', () => {
  let server: TestServer;
  let nurse: Api;
  let caseId: string;
  beforeAll(async () => {
    server = await startServer();
    await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
    const coordinator = await Api.login(server, 'coordinator');
    caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id;
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('given a phone that is not one, when admitting, then a French 400 names the field and the case is unchanged', async () => {
    const french = new Api(server, nurse.cookie, 'fr');
    for (const patientPhone of ['appelez', '12', '0'.repeat(31)]) {
      const res = await french.post(`/api/cases/${caseId}/commands`, { type: 'admit', expectedVersion: 1, patientPhone });
      expect(res.status, patientPhone).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.code).toBe('validation_failed');
      expect(JSON.stringify(res.body.errors)).toContain('patientPhone');
      expect(res.body.title).toBe('Données invalides');
    }
    const after = (await nurse.get(`/api/cases/${caseId}`)).body.case;
    expect([after.stage, after.version, after.patientPhone]).toEqual(['scheduled', 1, undefined]);
  });

  it('given a phone in the escort phone’s shape, when admitting, then it is kept on the case and never reaches the board', async () => {
    const board = LiveClient.board(server, (await server.app.accounts.createDisplayToken('Wall', new Date())).token);
    await board.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    const answer = await nurse.command(caseId, { type: 'admit', patientPhone: '+33 (0)6 98.76.54-32' });
    expect(answer.case.patientPhone).toBe('+33 (0)6 98.76.54-32');
    await board.waitFor((m) => m.some((x) => x.type === 'event'));
    expect(board.frames.join('')).not.toContain('98.76.54');
    board.close();
  });

  it('admitting without a phone stays allowed', async () => {
    const coordinator = await Api.login(server, 'coordinator');
    const other = (await coordinator.post('/api/cases', newCaseBody())).body.case.id;
    const answer = await nurse.command(other, { type: 'admit' });
    expect([answer.case.stage, answer.case.patientPhone]).toEqual(['admitted', undefined]);
  });
});
