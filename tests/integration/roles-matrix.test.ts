import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_TYPES, ROLES, canSend, type Command, type CommandType, type PermissionType, type Role, type StaffAccount } from '../../shared';
import { Api, COMPLETE_CHECKLIST, bookCaseInThePast, newCaseBody } from '../support/api';
import { http } from '../support/auth';
import { minutesAgo, timeOutOf, wholeDay } from '../support/day';
import { removeDir, startServer, type TestServer } from '../support/server';

const PASSWORD = 'bonjour-la-salle-2';

/**
 * What the unit expects of each role, written out here rather than read from the shared table under
 * test: a change to who may do what must change this list too, on purpose.
 */
const EXPECTED: Record<Role, readonly PermissionType[]> = {
  nurse: [
    'admit',
    'record_checklist',
    'mark_ready',
    'enter_room',
    'confirm_time_out',
    'give_sedation',
    'record_device',
    'apply_dressing',
    'record_dose',
    'confirm_sign_out',
    'start_observation',
    'record_vitals',
    'record_aldrete',
    'record_padss',
    'record_complication',
    'record_pain_score',
    'discharge',
    'cancel',
    'correct_last',
    'room_ready',
  ],
  radiologist: [
    'plan_targets',
    'enter_room',
    'confirm_time_out',
    'give_sedation',
    'give_local_anesthesia',
    'position_probe',
    'record_device',
    'record_stimulation',
    'start_freeze',
    'end_freeze',
    'end_thaw',
    'remove_probe',
    'abort',
    'apply_dressing',
    'record_dose',
    'confirm_sign_out',
    'record_vitals',
    'record_aldrete',
    'record_padss',
    'override_discharge_score',
    'record_complication',
    'record_pain_score',
    'cancel',
    'transfer',
    'correct_last',
    'record_report_conclusion',
    'sign_report',
  ],
  // Coordinators plan: they never record a clinical act.
  coordinator: ['schedule_case', 'reschedule_case', 'plan_targets', 'cancel'],
  // Admins manage accounts and screens: no command at all.
  admin: [],
  // The interface engine posts bookings (FHIR), never a case command.
  interface: [],
};

const may = (role: Role, type: PermissionType) => EXPECTED[role].includes(type);
const ALL_PERMISSIONS: readonly PermissionType[] = [...COMMAND_TYPES, 'schedule_case', 'room_ready'];

/** A schema-valid body for every command, so a refusal can only come from the role (or, if allowed, a stage rule). */
const SAMPLE = {
  reschedule_case: { type: 'reschedule_case', scheduledAt: new Date(Date.now() + 3600_000).toISOString() },
  plan_targets: { type: 'plan_targets', plannedTargets: [{ nerve: 'genicular', side: 'right' }] },
  admit: { type: 'admit' },
  record_checklist: { type: 'record_checklist', identityVerified: true },
  mark_ready: { type: 'mark_ready' },
  enter_room: { type: 'enter_room', roomId: 'room-1' },
  give_sedation: { type: 'give_sedation', drug: 'Midazolam', dose: '1 mg' },
  confirm_time_out: {
    type: 'confirm_time_out',
    identityConfirmed: true,
    procedureConfirmed: true,
    targets: [{ nerve: 'genicular', side: 'right' }],
    siteMarked: true,
    allergiesReviewed: true,
    anticoagulationReviewed: true,
    imagingReviewed: true,
    equipmentChecked: true,
  },
  give_local_anesthesia: { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 5 },
  position_probe: {
    type: 'position_probe',
    target: { nerve: 'genicular', side: 'right' },
    guidance: 'ultrasound',
    probe: { type: 'Cryosonde 1,7 mm', gauge: 14 },
  },
  record_device: { type: 'record_device', kind: 'introducer', device: { gtin: '03456789012340', lot: 'INT-2291' } },
  record_dose: { type: 'record_dose', modality: 'ct', equipment: 'Scanner salle 1', dlpMgyCm: 320, ctdiVolMgy: 9.5 },
  record_stimulation: { type: 'record_stimulation', result: 'sensory' },
  start_freeze: { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 },
  end_freeze: { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' },
  end_thaw: { type: 'end_thaw' },
  remove_probe: { type: 'remove_probe' },
  abort: { type: 'abort', reason: 'Patient agité' },
  apply_dressing: { type: 'apply_dressing' },
  confirm_sign_out: { type: 'confirm_sign_out', cyclesReviewed: true, complicationsReviewed: true, instructionsHandedOver: true },
  start_observation: { type: 'start_observation' },
  record_vitals: { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 },
  record_aldrete: { type: 'record_aldrete', activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2 },
  record_padss: { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 },
  override_discharge_score: { type: 'override_discharge_score', reason: 'Score limite, patient accompagné' },
  record_complication: { type: 'record_complication', kind: 'hematoma', grade: 1 },
  record_pain_score: { type: 'record_pain_score', score: 3, moment: 'admission' },
  discharge: { type: 'discharge', escortConfirmed: true, instructionsGiven: true },
  cancel: { type: 'cancel', reason: 'other', note: 'test' },
  transfer: { type: 'transfer', destination: 'Urgences' },
  correct_last: { type: 'correct_last', reason: 'Saisie erronée' },
  record_report_conclusion: { type: 'record_report_conclusion', conclusion: 'Cryoneurolyse géniculée droite sans complication.' },
  sign_report: { type: 'sign_report', lang: 'fr' },
} as const satisfies { [K in CommandType]: Command & { type: K } };

describe('who may send what: every role × every command, against the server', () => {
  let server: TestServer;
  const cookies = {} as Record<Role, string>;
  const apis = {} as Record<Role, Api>;
  const accounts = {} as Record<Role, StaffAccount>;

  const scheduleCase = async () => {
    const res = await http(server, 'POST', '/api/cases', { cookie: cookies.coordinator, body: newCaseBody() });
    expect(res.status, res.text).toBe(201);
    return res.body.case.id as string;
  };
  const versionOf = async (caseId: string) => (await http(server, 'GET', `/api/cases/${caseId}`, { cookie: cookies.coordinator })).body.case.version as number;
  const roomState = async (roomId: string) =>
    ((await http(server, 'GET', '/api/rooms', { cookie: cookies.coordinator })).body.rooms as { id: string; status: string }[]).find((r) => r.id === roomId)!.status;

  beforeAll(async () => {
    server = await startServer({ LOGIN_RATE_LIMIT: '1000' });
    for (const role of ROLES) {
      accounts[role] = await server.app.accounts.createStaff({ username: role, displayName: `Test ${role}`, role, password: PASSWORD });
      apis[role] = await Api.login(server, role, PASSWORD);
      cookies[role] = apis[role].cookie;
    }
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('the shared role table is exactly the one the unit expects', () => {
    for (const role of ROLES) {
      expect(ALL_PERMISSIONS.filter((type) => canSend(role, type)).sort(), role).toEqual([...EXPECTED[role]].sort());
    }
  });

  for (const role of ROLES) {
    it(`${role}: every command outside its list gets 403 and changes nothing; those in it are never refused for the role`, async () => {
      const caseId = await scheduleCase();
      for (const type of COMMAND_TYPES) {
        const before = await versionOf(caseId);
        const res = await http(server, 'POST', `/api/cases/${caseId}/commands`, {
          cookie: cookies[role],
          body: { ...SAMPLE[type], expectedVersion: before },
        });
        if (may(role, type)) {
          // Whatever stage the case has reached by now: the stage may refuse it, the role does not.
          expect(res.status, `${role} ${type} ${res.text}`).not.toBe(403);
          expect(res.status, `${role} ${type} ${res.text}`).not.toBe(401);
        } else {
          expect(res.status, `${role} ${type}`).toBe(403);
          expect(res.headers.get('content-type')).toContain('application/problem+json');
          expect(res.body.code).toBe('forbidden');
          expect(await versionOf(caseId), `${role} ${type} changed the case`).toBe(before);
        }
      }
    });

    it(`${role}: schedule_case ${may(role, 'schedule_case') ? 'allowed' : 'forbidden'}`, async () => {
      const count = async () => (await http(server, 'GET', '/api/cases', { cookie: cookies.coordinator })).body.cases.length as number;
      const before = await count();
      const res = await http(server, 'POST', '/api/cases', { cookie: cookies[role], body: newCaseBody() });
      if (may(role, 'schedule_case')) {
        expect(res.status, res.text).toBe(201);
        expect(await count()).toBe(before + 1);
      } else {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
        expect(await count()).toBe(before);
      }
    });
  }

  /**
   * A whole day for one case where `role` sends every step its list allows (the others are sent by
   * the role the day gives them), with the commands that fit no plain day inserted where they are
   * valid. Answers anything but 200 fail the walk; returns what `role` got accepted.
   */
  async function walk(role: 'nurse' | 'radiologist', roomId: string): Promise<Set<PermissionType>> {
    const accepted = new Set<PermissionType>();
    const caseId = await bookCaseInThePast(server, accounts.coordinator, 180, newCaseBody({ plannedRoomId: roomId }));
    const send = async (who: Role, command: Record<string, unknown>) => {
      await apis[who].command(caseId, command);
      if (who === role) accepted.add(command.type as CommandType);
    };
    for (const [dayRole, step] of wholeDay(roomId, minutesAgo(Date.now()))) {
      const at = step.occurredAt;
      if (step.type === 'discharge' && role === 'radiologist') {
        // The nurse's walk discharges; this one ends the other way out of observation.
        await send('radiologist', { type: 'transfer', destination: 'Urgences', occurredAt: at });
        break;
      }
      // Under CT, so the walk reaches the dose the sign-out then asks for.
      await send(may(role, step.type) ? role : dayRole, step.type === 'position_probe' ? { ...step, guidance: 'ct' } : { ...step });
      switch (step.type) {
        case 'admit':
          await send(role, { ...SAMPLE.record_vitals, occurredAt: at });
          await send(role, { ...SAMPLE.correct_last, occurredAt: at });
          await send(role, { ...SAMPLE.record_pain_score, occurredAt: at });
          await send(role, { ...SAMPLE.record_complication, occurredAt: at });
          if (may(role, 'plan_targets')) await send(role, { ...SAMPLE.plan_targets, occurredAt: at });
          break;
        case 'enter_room':
          await send(role, { ...SAMPLE.give_sedation, occurredAt: at });
          await send(role, { ...SAMPLE.record_device, occurredAt: at });
          break;
        case 'apply_dressing':
          await send(role, { ...SAMPLE.record_dose, occurredAt: at });
          if (may(role, 'sign_report')) {
            await send(role, { ...SAMPLE.record_report_conclusion, occurredAt: at });
            await send(role, { ...SAMPLE.sign_report, occurredAt: at });
          }
          break;
        case 'end_thaw':
          // A complete cycle is on record: stopping early here still lets the probe out.
          if (may(role, 'abort')) await send(role, { ...SAMPLE.abort, occurredAt: at });
          break;
        case 'record_vitals':
          // Sedated at enter_room: the Aldrete score comes before the PADSS counts.
          await send(role, { ...SAMPLE.record_aldrete, occurredAt: at });
          break;
        case 'record_padss':
          if (may(role, 'override_discharge_score')) await send(role, { ...SAMPLE.override_discharge_score, occurredAt: at });
          break;
        case 'start_observation': {
          // The room is being cleaned: only a nurse may say it is ready again.
          expect(await roomState(roomId)).toBe('cleaning');
          for (const other of ROLES.filter((r) => !may(r, 'room_ready'))) {
            const refused = await http(server, 'POST', `/api/rooms/${roomId}/commands`, { cookie: cookies[other], body: { type: 'room_ready' } });
            expect(refused.status, other).toBe(403);
            expect(refused.body.code).toBe('forbidden');
            expect(await roomState(roomId)).toBe('cleaning');
          }
          const ready = await http(server, 'POST', `/api/rooms/${roomId}/commands`, { cookie: cookies.nurse, body: { type: 'room_ready' } });
          expect(ready.status, ready.text).toBe(200);
          expect(await roomState(roomId)).toBe('free');
          if (role === 'nurse') accepted.add('room_ready');
          break;
        }
      }
    }
    const cancelled = await scheduleCase();
    await apis[role].command(cancelled, SAMPLE.cancel);
    accepted.add('cancel');
    return accepted;
  }

  it('nurse: every command of its list is accepted where the day allows it', async () => {
    const accepted = await walk('nurse', 'room-2');
    expect([...accepted].sort()).toEqual([...EXPECTED.nurse].sort());
  });

  it('radiologist: every command of its list is accepted where the day allows it', async () => {
    const accepted = await walk('radiologist', 'room-3');
    expect([...accepted].sort()).toEqual([...EXPECTED.radiologist].sort());
  });

  it('coordinator: schedules, reschedules, plans the targets and cancels', async () => {
    const caseId = await scheduleCase();
    const rescheduled = await apis.coordinator.command(caseId, SAMPLE.reschedule_case);
    expect(rescheduled.case.scheduledAt).toBe(SAMPLE.reschedule_case.scheduledAt);
    const planned = await apis.coordinator.command(caseId, SAMPLE.plan_targets);
    expect(planned.case.plannedTargets).toEqual(SAMPLE.plan_targets.plannedTargets);
    const cancelled = await apis.coordinator.command(caseId, SAMPLE.cancel);
    expect(cancelled.case.stage).toBe('cancelled');
  });

  it('admin: reads no patient (cases and timelines are 403) but sees the rooms, which name none', async () => {
    const body = newCaseBody();
    const created = await http(server, 'POST', '/api/cases', { cookie: cookies.coordinator, body });
    const caseId = created.body.case.id as string;
    await apis.nurse.command(caseId, { type: 'admit' });
    const today = (created.body.case.scheduledAt as string).slice(0, 10);
    for (const path of ['/api/cases', `/api/cases?date=${today}`, `/api/cases/${caseId}`]) {
      const res = await http(server, 'GET', path, { cookie: cookies.admin });
      expect(res.status, path).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect(res.text).not.toContain(body.patient.lastName);
      expect(res.text).not.toContain(body.patient.mrn);
    }
    for (const reader of ['nurse', 'radiologist', 'coordinator'] as const) {
      expect((await http(server, 'GET', `/api/cases/${caseId}`, { cookie: cookies[reader] })).status, reader).toBe(200);
      expect((await http(server, 'GET', '/api/cases', { cookie: cookies[reader] })).status, reader).toBe(200);
    }
    const rooms = await http(server, 'GET', '/api/rooms', { cookie: cookies.admin });
    expect(rooms.status).toBe(200);
    expect(rooms.body.rooms.length).toBeGreaterThan(0);
    for (const field of [body.patient.firstName, body.patient.lastName, body.patient.mrn, body.patient.birthDate]) {
      expect(rooms.text).not.toContain(field);
    }
    expect(Object.keys(rooms.body.rooms[0]).sort()).toEqual(['caseId', 'id', 'name', 'since', 'status']);
  });

  it('recall search: the coordinator and the radiologists search a lot; a nurse and an admin get 403 and no patient', async () => {
    const room = await apis.nurse.freeRoom();
    const target = { nerve: 'genicular', side: 'right' };
    const caseId = (await apis.coordinator.post('/api/cases', newCaseBody({ plannedRoomId: room, plannedTargets: [target] }))).body.case.id as string;
    for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, { type: 'mark_ready' }, { type: 'enter_room', roomId: room }, timeOutOf([target])])
      await apis.nurse.command(caseId, command);
    await apis.nurse.command(caseId, { ...SAMPLE.record_device });
    const path = `/api/devices/cases?lot=${SAMPLE.record_device.device.lot}`;
    const expected: Record<Role, number> = { coordinator: 200, radiologist: 200, nurse: 403, admin: 403, interface: 403 };
    for (const role of ROLES) {
      const res = await http(server, 'GET', path, { cookie: cookies[role] });
      expect(res.status, role).toBe(expected[role]);
      if (res.status === 200) expect(res.body.cases.map((c: { caseId: string }) => c.caseId), role).toContain(caseId);
      else {
        expect(res.body.code).toBe('forbidden');
        expect(res.text).not.toContain('Durand');
      }
    }
  });
});
