import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTORS } from '../../shared';
import { applyBooking, type Booking } from '../../server/interfaces/bookings';
import { Api, COMPLETE_CHECKLIST, LiveClient, seedStaff } from '../support/api';
import { login, newDisplayToken } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';

let server: TestServer;
let nurse: Api;
let coordinator: Api;
let boardToken: string;
const hl7 = SYSTEM_ACTORS.hl7;
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
let serial = 0;

function booking(over: Partial<Booking> = {}): Booking {
  serial += 1;
  return {
    kind: 'book',
    appointment: { placer: `PL-${serial}`, filler: `RDV-${serial}` },
    patient: { mrn: `IPP${100200 + serial}`, familyName: 'Lefèvre', givenName: 'Éloïse', birthDate: '1957-11-02', sex: 'female' },
    start: inHours(1),
    roomName: 'salle 2',
    ...over,
  };
}

const apply = (b: Booking) => applyBooking(server.app.interfaces, b, hl7);

beforeAll(async () => {
  server = await startServer({ ROOMS: 'Salle 1,Salle 2,Salle 3' });
  await seedStaff(server);
  [nurse, coordinator] = await Promise.all([Api.login(server, 'nurse'), Api.login(server, 'coordinator')]);
  const adminCookie = await login(server, 'admin', 'correct horse battery');
  boardToken = (await newDisplayToken(server, adminCookie)).token;
});
afterAll(async () => {
  await server.close();
  removeDir(server.dir);
});

describe('a booking from the hospital', () => {
  it('creates the case through the command path, under the interface actor, live for staff and nameless on the board', async () => {
    const staff = LiveClient.staff(server, nurse);
    const board = LiveClient.board(server, boardToken);
    await Promise.all([staff.opened, board.opened]);
    const b = booking({ targets: [{ nerve: 'intercostal', level: 'T6', side: 'left' }] });
    const result = await apply(b);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    const { body } = await nurse.get(`/api/cases/${result.caseId}`);
    expect(body.case).toMatchObject({ plannedRoomId: 'room-2', appointment: b.appointment, patient: { lastName: 'Lefèvre', mrn: b.patient.mrn } });
    expect(body.timeline[0]).toMatchObject({ type: 'CaseScheduled', actor: { id: 'interface:hl7', name: 'Interface HL7' } });
    await staff.waitFor((m) => m.some((x) => x.type === 'event' && x.caseId === result.caseId));
    await board.waitFor((m) => m.some((x) => x.type === 'event' && x.caseId === result.caseId));
    expect(board.frames.join('')).not.toContain('Lefèvre');
    expect(board.frames.join('')).not.toContain(b.patient.mrn);
    staff.close();
    board.close();
  });

  it('leaves a case without targets unready (targets_missing) until the coordinator sets them', async () => {
    const result = await apply(booking());
    if (!result.ok) throw new Error(result.rejection.rule);
    const caseId = result.caseId!;
    await nurse.command(caseId, { type: 'admit' });
    await nurse.command(caseId, { type: 'record_checklist', ...COMPLETE_CHECKLIST });
    const version = (await nurse.get(`/api/cases/${caseId}`)).body.case.version;
    const refused = await nurse.post(`/api/cases/${caseId}/commands`, { type: 'mark_ready', expectedVersion: version });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'rule_violated', rule: 'targets_missing' });
    const current = (await nurse.get(`/api/cases/${caseId}`)).body.case;
    await coordinator.command(caseId, { type: 'reschedule_case', scheduledAt: current.scheduledAt, plannedTargets: [{ nerve: 'genicular', side: 'right' }] });
    await nurse.command(caseId, { type: 'mark_ready' });
    expect((await nurse.get(`/api/cases/${caseId}`)).body.case.stage).toBe('ready');
  });

  it('moves a booking found by its number, says nothing new for the same time, and refuses what is unknown', async () => {
    const b = booking();
    const booked = await apply(b);
    if (!booked.ok) throw new Error(booked.rejection.rule);
    const later = inHours(3);
    expect(await apply({ ...b, kind: 'reschedule', appointment: { filler: b.appointment.filler }, start: later, roomName: 'Salle 3' })).toEqual({ ok: true, caseId: booked.caseId });
    const moved = (await coordinator.get(`/api/cases/${booked.caseId}`)).body;
    expect(moved.case).toMatchObject({ scheduledAt: later, plannedRoomId: 'room-3' });
    expect(moved.timeline.at(-1)).toMatchObject({ type: 'CaseRescheduled', actor: { id: 'interface:hl7' } });
    expect(await apply({ ...b, kind: 'book', start: later, roomName: 'Salle 3' })).toEqual({ ok: true, caseId: booked.caseId, duplicate: true });
    expect(await apply({ ...b, kind: 'reschedule', appointment: { filler: 'RDV-NOWHERE' } })).toMatchObject({ ok: false, rejection: { rule: 'appointment_unknown', params: { appointment: 'RDV-NOWHERE' } } });
    expect(await apply({ ...b, kind: 'reschedule', roomName: 'Salle 9' })).toMatchObject({ ok: false, rejection: { rule: 'room_name_unknown', params: { room: 'Salle 9' } } });
    expect(await apply({ ...b, kind: 'reschedule', patient: { ...b.patient, mrn: 'IPP-OTHER' } })).toMatchObject({ ok: false, rejection: { rule: 'mrn_other_patient' } });
    expect((await coordinator.get(`/api/cases/${booked.caseId}`)).body.case.version).toBe(moved.case.version);
  });

  it('refuses to move a case already in the room, with the machine’s reason', async () => {
    const b = booking({ targets: [{ nerve: 'genicular', side: 'right' }], roomName: 'Salle 1' });
    const booked = await apply(b);
    if (!booked.ok) throw new Error(booked.rejection.rule);
    const caseId = booked.caseId!;
    await nurse.command(caseId, { type: 'admit' });
    await nurse.command(caseId, { type: 'record_checklist', ...COMPLETE_CHECKLIST });
    await nurse.command(caseId, { type: 'mark_ready' });
    await nurse.command(caseId, { type: 'enter_room', roomId: await nurse.freeRoom() });
    expect(await apply({ ...b, kind: 'reschedule', start: inHours(5) })).toMatchObject({ ok: false, rejection: { code: 'not_allowed_in_stage', rule: 'wrong_stage' } });
    expect(await apply({ ...b, kind: 'cancel' })).toMatchObject({ ok: false, rejection: { rule: 'cancel_too_late' } });
  });

  it('cancels, and records a no-show as one', async () => {
    const a = booking();
    const b = booking();
    const first = await apply(a);
    const second = await apply(b);
    if (!first.ok || !second.ok) throw new Error('booking refused');
    await apply({ ...a, kind: 'cancel', reason: 'Patient hospitalisé ailleurs' });
    await apply({ ...b, kind: 'no_show' });
    const one = (await coordinator.get(`/api/cases/${first.caseId}`)).body;
    const two = (await coordinator.get(`/api/cases/${second.caseId}`)).body;
    expect(one.case.stage).toBe('cancelled');
    expect(one.timeline.at(-1).data).toEqual({ reason: 'other', note: 'Interface HL7 — Patient hospitalisé ailleurs' });
    expect(two.timeline.at(-1).data).toMatchObject({ reason: 'no_show' });
    expect(await apply({ ...a, kind: 'cancel' })).toEqual({ ok: true, caseId: first.caseId, duplicate: true });
  });

  it('lets a corrected identity follow on the open cases of the MRN, with its history, and refuses another patient', async () => {
    const mrn = 'IPP7700881';
    const b = booking({ patient: { mrn, familyName: 'Moreau', givenName: 'Anaïs', birthDate: '1970-06-15' } });
    const booked = await apply(b);
    if (!booked.ok) throw new Error(booked.rejection.rule);
    const other = await apply({ kind: 'demographics', appointment: {}, patient: { mrn, familyName: 'Bernard', givenName: 'Luc', birthDate: '1949-01-20' } });
    expect(other).toMatchObject({ ok: false, rejection: { rule: 'mrn_other_patient' } });
    const renamed = await apply({ kind: 'demographics', appointment: {}, patient: { mrn, familyName: 'Moreau-Petit', givenName: 'Anaïs', birthDate: '1970-06-15' } });
    expect(renamed).toEqual({ ok: true, caseId: booked.caseId });
    const { body } = await coordinator.get(`/api/cases/${booked.caseId}`);
    expect(body.case.patient).toMatchObject({ lastName: 'Moreau-Petit', mrn });
    expect(body.timeline.at(-1)).toMatchObject({ type: 'PatientDemographicsUpdated', data: { previous: { lastName: 'Moreau' }, patient: { lastName: 'Moreau-Petit' } } });
    // The record now holds the new name: the coordinator's next booking under this MRN uses it.
    const again = await coordinator.post('/api/cases', {
      patient: { firstName: 'Anaïs', lastName: 'Moreau-Petit', mrn, birthDate: '1970-06-15' },
      scheduledAt: inHours(30),
      plannedTargets: [{ nerve: 'genicular', side: 'left' }],
    });
    expect(again.status).toBe(201);
  });

  it('files a new booking under the name the hospital record now gives, renaming the open case first', async () => {
    const mrn = 'IPP7700990';
    const first = await apply(booking({ patient: { mrn, familyName: 'Garnier', givenName: 'Inès', birthDate: '1966-02-08' } }));
    const second = await apply(booking({ patient: { mrn, familyName: 'Garnier-Roux', givenName: 'Inès', birthDate: '1966-02-08' }, start: inHours(26) }));
    if (!first.ok || !second.ok) throw new Error('booking refused');
    expect(second.caseId).not.toBe(first.caseId);
    const earlier = (await coordinator.get(`/api/cases/${first.caseId}`)).body;
    expect(earlier.case.patient.lastName).toBe('Garnier-Roux');
    expect(earlier.timeline.at(-1)).toMatchObject({ type: 'PatientDemographicsUpdated', data: { previous: { lastName: 'Garnier' } } });
    expect((await coordinator.get(`/api/cases/${second.caseId}`)).body.case.patient.lastName).toBe('Garnier-Roux');
    const other = await apply(booking({ patient: { mrn, familyName: 'Petit', givenName: 'Hugo', birthDate: '2001-09-09' } }));
    expect(other).toMatchObject({ ok: false, rejection: { rule: 'mrn_other_patient' } });
  });

  it('names the field a booking lacks', async () => {
    expect(await apply(booking({ start: undefined }))).toMatchObject({ ok: false, rejection: { rule: 'booking_field_missing', params: { field: 'start' } } });
    expect(await apply(booking({ patient: { mrn: 'IPP1' } }))).toMatchObject({ ok: false, rejection: { rule: 'booking_field_missing', params: { field: 'familyName' } } });
    expect(await apply(booking({ appointment: {} }))).toMatchObject({ ok: false, rejection: { rule: 'booking_field_missing', params: { field: 'appointment' } } });
    expect(await apply(booking({ patient: { mrn: 'IPP2', familyName: 'X', givenName: 'Y', birthDate: '1990-02-31x' } }))).toMatchObject({ ok: false, rejection: { rule: 'booking_field_invalid' } });
  });
});
