import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { Compile } from 'typebox/compile';
import type { Store, StoreTransaction } from '../../db/store';
import {
  AppointmentSchema,
  PatientSchema,
  TargetSchema,
  DateTimeSchema,
  otherPatient,
  reject,
  samePatient,
  type Actor,
  type CaseState,
  type DemographicsUpdate,
  type Rejection,
  type RoomView,
  type ScheduleCaseBody,
  type Settings,
  type Target,
} from '../../shared';
import type { Sex } from '../../shared/domain/reasons';
import type { GroupCommit } from '../cases/group-commit';
import type { Config } from '../config';
import { executeCaseCommand, executeDemographics, scheduleCase, type CommandResult, type ExecuteContext } from '../cases/execute';
import { Problem } from '../http/problem';
import type { Publication } from '../live/hub';
import type { LabelMode } from '../live/messages';

export type BookingKind = 'book' | 'reschedule' | 'cancel' | 'no_show' | 'demographics';

/**
 * One booking as the hospital's systems say it, whatever the channel (an HL7 SIU or ADT message, a FHIR
 * Appointment, a CSV row): each channel maps its own format to this, and applyBooking decides it.
 */
export interface Booking {
  kind: BookingKind;
  appointment: { placer?: string; filler?: string };
  patient: { mrn: string; familyName?: string; givenName?: string; birthDate?: string; sex?: Sex };
  /** ISO instant. */
  start?: string;
  /** The room's name as the unit's settings spell it (matched without regard to case or spaces). */
  roomName?: string;
  targets?: Target[];
  /** Free text the message gives with a cancel or a move (HL7 SCH-6, FHIR cancelationReason). */
  reason?: string;
  indicationNote?: string;
}

/** Everything the command path needs outside a request: the server's store, settings and live hub. */
export interface BookingDeps {
  config: Config;
  store: Store;
  settings: Settings;
  labelMode: LabelMode;
  groupCommit: GroupCommit;
  publish(publications: Publication[]): void;
  now?: () => Date;
}

export const bookingDeps = (app: FastifyInstance): BookingDeps => ({
  config: app.config,
  store: app.store,
  settings: app.settings,
  labelMode: app.config.boardLabel,
  groupCommit: app.groupCommit,
  publish: (publications) => app.publish(publications),
});

/** `caseId` is null only for a demographics update that found no open case. */
export type BookingResult = { ok: true; caseId: string | null; duplicate?: boolean } | { ok: false; rejection: Rejection };

/** A refusal thrown out of the booking's savepoint, so nothing it wrote before the refusal stays. */
class BookingRefused extends Error {
  constructor(readonly rejection: Rejection) {
    super(rejection.rule);
  }
}

const refuse = (rule: Parameters<typeof reject>[0], params: Parameters<typeof reject>[1] = {}): never => {
  throw new BookingRefused(reject(rule, params));
};

// The case's planned fields as a booking may bring them: an interface may book without targets (the
// case then has targets to complete), the coordinator's own form may not.
const InterfaceScheduleSchema = Type.Object(
  {
    patient: PatientSchema,
    scheduledAt: DateTimeSchema,
    plannedRoomId: Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()]),
    plannedTargets: Type.Array(TargetSchema, { maxItems: 8 }),
    indicationNote: Type.Optional(Type.String({ maxLength: 500 })),
    appointment: AppointmentSchema,
  },
  { additionalProperties: false },
);
const scheduleChecker = Compile(InterfaceScheduleSchema);

const BIRTH_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

function checked(body: ScheduleCaseBody): ScheduleCaseBody {
  if (!BIRTH_DATE.test(body.patient.birthDate)) refuse('booking_field_invalid', { field: 'birthDate' });
  if (!Number.isFinite(Date.parse(body.scheduledAt))) refuse('booking_field_invalid', { field: 'start' });
  if (!scheduleChecker.Check(body)) {
    const first = [...scheduleChecker.Errors(body)][0];
    refuse('booking_field_invalid', { field: first?.instancePath.replace(/^\//, '').replace(/\//g, '.') || 'booking' });
  }
  return body;
}

const squeeze = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('fr');

/** The unit's room a message names, by name: the hospital's systems do not know the unit's room ids. */
export function roomByName(rooms: readonly RoomView[], name: string): RoomView | undefined {
  return rooms.find((r) => squeeze(r.name) === squeeze(name));
}

async function roomIdOf(ctx: ExecuteContext, booking: Booking): Promise<string | null | undefined> {
  if (booking.roomName === undefined || booking.roomName.trim() === '') return undefined;
  const room = roomByName(await ctx.tx.rooms(), booking.roomName);
  return room ? room.id : refuse('room_name_unknown', { room: booking.roomName });
}

const label = (a: Booking['appointment']) => a.filler ?? a.placer ?? '';

export { BOOKING_SQL } from '../../db/sqlite-store';

/** The case a booking's numbers name: the filler's number first (the scheduling system's own), then the placer's. */
export async function caseOfAppointment(tx: StoreTransaction, appointment: Booking['appointment']): Promise<string | null> {
  for (const kind of ['filler', 'placer'] as const) {
    const value = appointment[kind];
    if (!value) continue;
    const caseId = await tx.caseOfAppointment(kind, value);
    if (caseId) return caseId;
  }
  return null;
}

function identityOf(booking: Booking): DemographicsUpdate {
  const p = booking.patient;
  if (!p.familyName?.trim()) refuse('booking_field_missing', { field: 'familyName' });
  if (!p.givenName?.trim()) refuse('booking_field_missing', { field: 'givenName' });
  if (!p.birthDate) refuse('booking_field_missing', { field: 'birthDate' });
  if (!BIRTH_DATE.test(p.birthDate!)) refuse('booking_field_invalid', { field: 'birthDate' });
  const update: DemographicsUpdate = { firstName: p.givenName!.trim(), lastName: p.familyName!.trim(), birthDate: p.birthDate! };
  if (update.firstName.length > 80) refuse('booking_field_invalid', { field: 'givenName' });
  if (update.lastName.length > 80) refuse('booking_field_invalid', { field: 'familyName' });
  return p.sex ? { ...update, sex: p.sex } : update;
}

interface Outcome {
  result: Extract<BookingResult, { ok: true }>;
  publications: Publication[];
}

const merge = (...results: CommandResult[]): Publication[] => results.flatMap((r) => r.publications);

/**
 * The patient's record changed: the patients row and every open case of the MRN follow. A record that
 * names another person under the MRN (birth date and a name both differ) changes nothing.
 */
async function followDemographics(ctx: ExecuteContext, mrn: string, update: DemographicsUpdate): Promise<{ caseIds: string[]; publications: Publication[] }> {
  const known = await ctx.tx.patientOfMrn(mrn);
  if (!known) return { caseIds: [], publications: [] };
  if (otherPatient(known, update)) refuse('mrn_other_patient');
  await ctx.tx.updatePatient(known.id, update);
  const open = await ctx.tx.openCasesOfPatient(known.id);
  const results: CommandResult[] = [];
  for (const id of open) results.push(await executeDemographics(ctx, id, update));
  return { caseIds: open, publications: merge(...results) };
}

async function loaded(ctx: ExecuteContext, caseId: string): Promise<CaseState> {
  const state = await ctx.tx.loadCase(caseId);
  if (!state) throw new Error(`appointment index names a missing case ${caseId}`);
  return state;
}

async function book(ctx: ExecuteContext, booking: Booking): Promise<Outcome> {
  const existing = await caseOfAppointment(ctx.tx, booking.appointment);
  // The same booking sent again under a new message id: it is a modification, or nothing new.
  if (existing) return move(ctx, booking, existing);
  const identity = identityOf(booking);
  if (!booking.start) refuse('booking_field_missing', { field: 'start' });
  const plannedRoomId = (await roomIdOf(ctx, booking)) ?? null;
  const known = await ctx.tx.patientOfMrn(booking.patient.mrn);
  // The hospital's record is the reference: a name it corrected follows on the open cases first, so
  // the new case is filed under the identity the record now holds.
  const followed = known && !samePatient(known, identity) ? await followDemographics(ctx, booking.patient.mrn, identity) : { publications: [] };
  const body = checked({
    patient: { ...identity, mrn: booking.patient.mrn },
    scheduledAt: booking.start!,
    plannedRoomId,
    plannedTargets: booking.targets ?? [],
    ...(booking.indicationNote ? { indicationNote: booking.indicationNote } : {}),
    appointment: booking.appointment,
  });
  const scheduled = await scheduleCase(ctx, body);
  const caseId = (scheduled.body as { case: CaseState }).case.id;
  return { result: { ok: true, caseId }, publications: [...followed.publications, ...scheduled.publications] };
}

async function findCase(ctx: ExecuteContext, booking: Booking): Promise<CaseState> {
  const caseId = await caseOfAppointment(ctx.tx, booking.appointment);
  if (!caseId) return refuse('appointment_unknown', { appointment: label(booking.appointment) });
  const state = await loaded(ctx, caseId);
  // The booking's number with another patient's MRN: one of the two is wrong, and either way this case is not theirs.
  if (state.patient.mrn !== booking.patient.mrn) refuse('mrn_other_patient');
  return state;
}

async function move(ctx: ExecuteContext, booking: Booking, caseId?: string): Promise<Outcome> {
  const state = caseId ? await loaded(ctx, caseId) : await findCase(ctx, booking);
  if (caseId && state.patient.mrn !== booking.patient.mrn) refuse('mrn_other_patient');
  const scheduledAt = booking.start ?? state.scheduledAt;
  if (!Number.isFinite(Date.parse(scheduledAt))) refuse('booking_field_invalid', { field: 'start' });
  const plannedRoomId = await roomIdOf(ctx, booking);
  const targets = booking.targets && booking.targets.length > 0 ? booking.targets : undefined;
  const unchanged =
    Date.parse(scheduledAt) === Date.parse(state.scheduledAt) &&
    (plannedRoomId === undefined || plannedRoomId === state.plannedRoomId) &&
    (targets === undefined || JSON.stringify(targets) === JSON.stringify(state.plannedTargets));
  if (unchanged) return { result: { ok: true, caseId: state.id, duplicate: true }, publications: [] };
  const result = await executeCaseCommand(ctx, state.id, {
    type: 'reschedule_case',
    expectedVersion: state.version,
    scheduledAt,
    ...(plannedRoomId !== undefined ? { plannedRoomId } : {}),
    ...(targets ? { plannedTargets: targets } : {}),
    ...(booking.reason ? { note: booking.reason.slice(0, 1000) } : {}),
  });
  return { result: { ok: true, caseId: state.id }, publications: result.publications };
}

async function cancel(ctx: ExecuteContext, booking: Booking): Promise<Outcome> {
  const state = await findCase(ctx, booking);
  // A cancel sent again after the case was cancelled asks for what is already so.
  if (state.stage === 'cancelled') return { result: { ok: true, caseId: state.id, duplicate: true }, publications: [] };
  const noShow = booking.kind === 'no_show';
  // The note says who cancelled, and the reason the system gave when it gave one.
  const note = [ctx.actor.name, booking.reason?.trim()].filter(Boolean).join(' — ').slice(0, 1000);
  const result = await executeCaseCommand(ctx, state.id, {
    type: 'cancel',
    expectedVersion: state.version,
    reason: noShow ? 'no_show' : 'other',
    note,
  });
  return { result: { ok: true, caseId: state.id }, publications: result.publications };
}

async function demographics(ctx: ExecuteContext, booking: Booking): Promise<Outcome> {
  const followed = await followDemographics(ctx, booking.patient.mrn, identityOf(booking));
  return { result: { ok: true, caseId: followed.caseIds[0] ?? null }, publications: followed.publications };
}

/**
 * Decides one booking inside the caller's transaction (the group commit's savepoint): a refusal throws,
 * so a booking that had already renamed a case before being refused leaves nothing behind.
 */
export async function bookingWork(ctx: ExecuteContext, booking: Booking): Promise<Outcome> {
  if (!booking.patient.mrn?.trim()) refuse('booking_field_missing', { field: 'mrn' });
  if (booking.patient.mrn.length > 32) refuse('booking_field_invalid', { field: 'mrn' });
  const needsNumber = booking.kind !== 'demographics';
  if (needsNumber && !booking.appointment.filler && !booking.appointment.placer) refuse('booking_field_missing', { field: 'appointment' });
  switch (booking.kind) {
    case 'book':
      return book(ctx, booking);
    case 'reschedule':
      return move(ctx, booking);
    case 'cancel':
    case 'no_show':
      return cancel(ctx, booking);
    case 'demographics':
      return demographics(ctx, booking);
  }
}

/** What a thrown refusal says, as the machine's rule; anything else is not a refusal and propagates. */
export function rejectionOf(error: unknown): Rejection | null {
  if (error instanceof BookingRefused) return error.rejection;
  if (error instanceof Problem && 'rule' in error.detail) {
    return { code: error.code === 'forbidden' ? 'forbidden' : error.code === 'not_allowed_in_stage' ? 'not_allowed_in_stage' : 'rule_violated', rule: error.detail.rule, params: (error.detail.params ?? {}) as Rejection['params'] };
  }
  return null;
}

export function executeContext(deps: BookingDeps, actor: Actor, tx: StoreTransaction): ExecuteContext {
  return { tx, settings: deps.settings, labelMode: deps.labelMode, actor, now: deps.now?.() ?? new Date() };
}

/**
 * Books, moves, cancels or renames through the command path, as one group-commit job: stored, folded
 * and, once on disk, published live like any command, under the interface's system actor. The inbox
 * runs bookingWork in its own job instead, to mark its message in the same savepoint.
 */
export async function applyBooking(deps: BookingDeps, booking: Booking, actor: Actor): Promise<BookingResult> {
  try {
    const outcome = await deps.groupCommit.run((tx) => bookingWork(executeContext(deps, actor, tx), booking));
    deps.publish(outcome.publications);
    return outcome.result;
  } catch (error) {
    const rejection = rejectionOf(error);
    if (rejection) return { ok: false, rejection };
    throw error;
  }
}
