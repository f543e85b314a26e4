import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_TYPES, ROLES, canSend, type Command, type CommandType, type Role } from '../../shared';
import { createStaff } from '../../server/auth/staff';
import { newCaseBody } from '../support/api';
import { http, login } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';

const PASSWORD = 'bonjour-la-salle-2';

/** A schema-valid body for every command, so a refusal can only come from the role (or, if allowed, a stage rule). */
const SAMPLE = {
  reschedule_case: { type: 'reschedule_case', scheduledAt: new Date(Date.now() + 3600_000).toISOString() },
  admit: { type: 'admit' },
  record_checklist: { type: 'record_checklist', identityVerified: true },
  mark_ready: { type: 'mark_ready' },
  enter_room: { type: 'enter_room', roomId: 'room-1' },
  give_sedation: { type: 'give_sedation', drug: 'Midazolam', dose: '1 mg' },
  give_local_anesthesia: { type: 'give_local_anesthesia', agent: 'Lidocaïne 1 %', volumeMl: 5 },
  position_probe: {
    type: 'position_probe',
    target: { nerve: 'genicular', side: 'right' },
    guidance: 'ultrasound',
    probe: { type: 'Cryosonde 1,7 mm', gauge: 14 },
  },
  record_stimulation: { type: 'record_stimulation', result: 'sensory' },
  start_freeze: { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 },
  end_freeze: { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' },
  end_thaw: { type: 'end_thaw' },
  remove_probe: { type: 'remove_probe' },
  abort: { type: 'abort', reason: 'Patient agité' },
  apply_dressing: { type: 'apply_dressing' },
  start_observation: { type: 'start_observation' },
  record_vitals: { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 },
  record_padss: { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 },
  override_discharge_score: { type: 'override_discharge_score', reason: 'Score limite, patient accompagné' },
  record_complication: { type: 'record_complication', kind: 'hematoma', grade: 1 },
  record_pain_score: { type: 'record_pain_score', score: 3, moment: 'admission' },
  discharge: { type: 'discharge', escortConfirmed: true, instructionsGiven: true },
  cancel: { type: 'cancel', reason: 'other', note: 'test' },
  transfer: { type: 'transfer', destination: 'Urgences' },
  correct_last: { type: 'correct_last', reason: 'Saisie erronée' },
} as const satisfies { [K in CommandType]: Command & { type: K } };

describe('who may send what: every role × every command, against the server', () => {
  let server: TestServer;
  const cookies = {} as Record<Role, string>;

  const scheduleCase = async () => {
    const res = await http(server, 'POST', '/api/cases', { cookie: cookies.coordinator, body: newCaseBody() });
    expect(res.status, res.text).toBeLessThan(300);
    return res.body.case.id as string;
  };
  const versionOf = async (caseId: string) => (await http(server, 'GET', `/api/cases/${caseId}`, { cookie: cookies.coordinator })).body.case.version as number;

  beforeAll(async () => {
    server = await startServer({ LOGIN_RATE_LIMIT: '1000' });
    for (const role of ROLES) {
      await createStaff(server.app.database.db, { username: role, displayName: `Test ${role}`, role, password: PASSWORD });
      cookies[role] = await login(server, role, PASSWORD);
    }
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('matches what the unit expects of each role, independently of the shared table', () => {
    const allowed = (role: Role) => [...COMMAND_TYPES, 'schedule_case', 'room_ready'].filter((t) => canSend(role, t as CommandType));
    expect(allowed('admin')).toEqual([]);
    expect(new Set(allowed('coordinator'))).toEqual(new Set(['schedule_case', 'reschedule_case', 'cancel']));
    expect(allowed('nurse')).not.toContain('start_freeze');
    expect(allowed('radiologist')).toContain('start_freeze');
  });

  for (const role of ROLES) {
    it(`${role}: allowed commands are not forbidden; the others get 403 and change nothing`, async () => {
      const caseId = await scheduleCase();
      const outcomes: string[] = [];
      for (const type of COMMAND_TYPES) {
        const before = await versionOf(caseId);
        const res = await http(server, 'POST', `/api/cases/${caseId}/commands`, {
          cookie: cookies[role],
          body: { ...SAMPLE[type], expectedVersion: before },
        });
        outcomes.push(`${type}:${res.status}`);
        if (canSend(role, type)) {
          expect(res.status, `${role} ${type} ${res.text}`).not.toBe(403);
          expect([200, 409, 422], `${role} ${type} ${res.text}`).toContain(res.status);
        } else {
          expect(res.status, `${role} ${type}`).toBe(403);
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(res.body.code).toBe('forbidden');
          expect(await versionOf(caseId), `${role} ${type} changed the case`).toBe(before);
        }
      }
      expect(outcomes).toHaveLength(COMMAND_TYPES.length);
    });

    it(`${role}: schedule_case ${canSend(role, 'schedule_case') ? 'allowed' : 'forbidden'}`, async () => {
      const count = async () => (await http(server, 'GET', '/api/cases', { cookie: cookies.coordinator })).body.cases.length as number;
      const before = await count();
      const res = await http(server, 'POST', '/api/cases', { cookie: cookies[role], body: newCaseBody() });
      if (canSend(role, 'schedule_case')) {
        expect(res.status, res.text).not.toBe(403);
        expect(await count()).toBe(before + 1);
      } else {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
        expect(await count()).toBe(before);
      }
    });

    it(`${role}: room_ready ${canSend(role, 'room_ready') ? 'allowed' : 'forbidden'}`, async () => {
      const rooms = async () => JSON.stringify((await http(server, 'GET', '/api/rooms', { cookie: cookies.coordinator })).body);
      const before = await rooms();
      const res = await http(server, 'POST', '/api/rooms/room-1/commands', { cookie: cookies[role], body: { type: 'room_ready' } });
      if (canSend(role, 'room_ready')) {
        expect(res.status, res.text).not.toBe(403);
      } else {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
        expect(await rooms()).toBe(before);
      }
    });
  }

  it('an allowed role really gets through: a nurse admits a case', async () => {
    const caseId = await scheduleCase();
    const res = await http(server, 'POST', `/api/cases/${caseId}/commands`, {
      cookie: cookies.nurse,
      body: { type: 'admit', expectedVersion: await versionOf(caseId) },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.case.stage).toBe('admitted');
  });
});
