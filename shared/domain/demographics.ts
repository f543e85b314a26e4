import { clean } from './clean';
import { refuse, type DecideContext, type Decision } from './context';
import { comparable, type PatientIdentity } from './create-case';
import type { CaseEvent, DemographicsUpdate } from './events';
import { canSend } from './roles';
import { reject } from './rules';
import { isTerminal } from './stages';
import type { CaseState } from './state';

/**
 * Whether a record sent under a known MRN describes someone else. The hospital corrects a misspelt name
 * or a wrong birth date one at a time; a birth date that differs together with a name is another
 * person filed under this number, and following it would rename this patient's case.
 */
export function otherPatient(known: PatientIdentity, incoming: PatientIdentity): boolean {
  if (known.birthDate === incoming.birthDate) return false;
  return comparable(known.lastName) !== comparable(incoming.lastName) || comparable(known.firstName) !== comparable(incoming.firstName);
}

const sameDemographics = (state: CaseState, update: DemographicsUpdate): boolean =>
  state.patient.firstName === update.firstName &&
  state.patient.lastName === update.lastName &&
  state.patient.birthDate === update.birthDate &&
  (update.sex === undefined || state.patient.sex === update.sex);

/**
 * The hospital's record of the patient changed (ADT A08/A31, a FHIR Patient): an open case follows it,
 * as an event, so its timeline keeps the identity it had. A finished case keeps the identity it was
 * treated under. Nothing changed makes no event.
 */
export function updateDemographics(state: CaseState, update: DemographicsUpdate, ctx: DecideContext): Decision {
  if (!canSend(ctx.actor.role, 'schedule_case')) return refuse(reject('role_not_allowed', { role: ctx.actor.role }, 'forbidden'));
  if (isTerminal(state.stage)) return refuse(reject('case_closed', { stage: state.stage }, 'not_allowed_in_stage'));
  if (update.birthDate > ctx.now.slice(0, 10)) return refuse(reject('birth_date_in_future'));
  if (otherPatient(state.patient, update)) return refuse(reject('mrn_other_patient'));
  if (sameDemographics(state, update)) return { ok: true, events: [] };
  const { firstName, lastName, birthDate, sex } = state.patient;
  const event: CaseEvent = clean({
    type: 'PatientDemographicsUpdated',
    occurredAt: ctx.now,
    recordedAt: ctx.now,
    actor: ctx.actor,
    data: { patient: update, previous: { firstName, lastName, birthDate, sex } },
  });
  return { ok: true, events: [event] };
}
