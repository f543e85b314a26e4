import type { ScheduleCaseBody } from './commands';
import { clean } from './clean';
import { refuse, type DecideContext, type Decision } from './context';
import type { CaseEvent } from './events';
import { canSend } from './roles';
import { reject } from './rules';
import type { Patient } from './state';

// Who a medical record number names, as far as filing a case is concerned.
export type PatientIdentity = Pick<Patient, 'firstName' | 'lastName' | 'birthDate'>;

export interface CreateCaseContext extends DecideContext {
  /** The patient already on file under the body's MRN, looked up by the caller; null for a new MRN. */
  knownPatient?: PatientIdentity | null;
}

// Names typed on two days may differ in case, accents' encoding and stray spaces, not in letters.
export const comparable = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('fr');

export const samePatient = (a: PatientIdentity, b: PatientIdentity): boolean =>
  comparable(a.firstName) === comparable(b.firstName) && comparable(a.lastName) === comparable(b.lastName) && a.birthDate === b.birthDate;

// The first event of every case stream. Only coordinators schedule: admins manage accounts, and
// clinical staff work from the coordinator's plan.
export function createCase(caseId: string, body: ScheduleCaseBody, ctx: CreateCaseContext): Decision {
  if (!canSend(ctx.actor.role, 'schedule_case'))
    return refuse(reject('role_not_allowed', { role: ctx.actor.role }, 'forbidden'));
  const roomId = body.plannedRoomId ?? null;
  if (roomId !== null && !ctx.rooms.some((r) => r.id === roomId)) return refuse(reject('room_unknown', { roomId }));
  // Dates compare as strings in YYYY-MM-DD form.
  if (body.patient.birthDate > ctx.now.slice(0, 10)) return refuse(reject('birth_date_in_future'));
  // A known MRN must name the same person: a typo in it would file this procedure in another
  // patient's record.
  if (ctx.knownPatient && !samePatient(ctx.knownPatient, body.patient)) return refuse(reject('mrn_other_patient'));
  const event: CaseEvent = clean({
    type: 'CaseScheduled',
    occurredAt: ctx.now,
    recordedAt: ctx.now,
    actor: ctx.actor,
    data: { ...body, plannedRoomId: roomId, caseId },
  });
  return { ok: true, events: [event] };
}
