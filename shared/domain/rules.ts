import { allergyConflict } from './allergens';
import { doseCheck, type AnestheticDose, type DoseCheck } from './anesthetics';
import { checklistGaps, type ChecklistInput } from './checklist';
import { isExpiredOn, readDevice, type DeviceInput } from './devices';
import { DOSE_FIELDS_OF, DOSE_MODALITIES, DOSE_RANGES, isDoseModality, type DoseFigures, type DoseModality, type Equipment } from './dose';
import { COMMAND_OF_EVENT, NON_COMMAND_EVENTS, type EventType, type NonCommandEvent } from './command-types';
import type { CommandOf } from './commands';
import type { RoomView } from './context';
import { canSend, type Role } from './roles';
import { requiredObservationMinutes, type Settings } from './settings';
import { draftReport, reportOf, reportText } from './procedure-report';
import { FROZEN_STAGES } from './stages';
import { caseDoses, caseGuidances, caseTargets, completeCycles, currentCycle, recordedDoses, type CaseState } from './state';
import { sameTargetSet, targetFit, type Target } from './targets';
import { dayOf, minutesBetween, ms } from './time';
import {
  FREEZE_TEMP_RANGE,
  MIN_ALDRETE,
  MIN_FREEZE_SECONDS,
  MIN_PADSS,
  VITAL_RANGES,
  vitalsInRange,
  vitalsPlausible,
  type VitalSigns,
} from './vitals';

// Every way a command can be refused has a stable snake_case name (XState-style named guards): the
// API returns it, tests assert on it, and the labels translate it.
export const RULE_NAMES = [
  // who and when
  'role_not_allowed',
  'wrong_stage',
  'case_closed',
  'occurred_at_invalid',
  'occurred_at_in_future',
  'occurred_at_before_previous',
  // scheduling
  'room_unknown',
  'birth_date_in_future',
  'mrn_other_patient',
  // bookings from the hospital's interfaces
  'appointment_unknown',
  'room_name_unknown',
  'targets_missing',
  'booking_field_missing',
  'booking_field_invalid',
  'message_unreadable',
  'message_type_unsupported',
  'message_version_unsupported',
  // readiness checklist
  'identity_not_verified',
  'consent_missing',
  'anticoagulants_undeclared',
  'anticoagulants_not_managed',
  'anti_inflammatories_undeclared',
  'anti_inflammatories_not_managed',
  'allergies_undeclared',
  'allergens_missing',
  'allergens_without_allergy',
  'escort_missing',
  'contraindication_unscreened',
  'contraindication_positive',
  'contraindication_cleared_by_resave',
  // rooms
  'room_not_free',
  'room_not_cleaning',
  // procedure
  'cancel_too_late',
  'escort_required_for_sedation',
  'time_out_incomplete',
  'time_out_targets_mismatch',
  'time_out_required',
  'weight_missing',
  'checklist_closed',
  'allergy_to_agent',
  'max_dose_exceeded',
  'local_anesthesia_required',
  'side_mismatch',
  'target_not_planned',
  'probe_not_positioned',
  'motor_response',
  'freeze_already_running',
  'thaw_not_finished',
  'temperature_required',
  'temperature_implausible',
  'freeze_too_short',
  'no_ice_ball_with_measure',
  'probe_still_frozen',
  'cycle_required',
  'probe_in_place',
  'procedure_aborted',
  'already_aborted',
  'sign_out_incomplete',
  'sign_out_required',
  // devices
  'device_udi_unreadable',
  'device_gtin_check_digit',
  'device_lot_missing',
  'device_expired',
  // radiation dose
  'dose_required',
  'dose_incomplete',
  'dose_other_modality',
  'dose_implausible',
  'dose_modality_not_used',
  'equipment_unknown',
  // procedure report
  'report_conclusion_required',
  'report_change_reason_required',
  'report_unchanged',
  // observation and discharge
  'vitals_implausible',
  'aldrete_missing',
  'aldrete_too_low',
  'observation_too_short',
  'vitals_missing',
  'vitals_stale',
  'vitals_abnormal',
  'padss_missing',
  'padss_too_low',
  'escort_not_confirmed',
  'instructions_not_given',
  // records and corrections
  'note_required',
  'nothing_to_correct',
  'cannot_correct_others_step',
  'freeze_cannot_be_undone',
  // accounts
  'display_name_taken',
  'password_too_short',
  'password_too_long',
  'password_too_weak',
  'password_unchanged',
  'password_wrong',
  'password_change_required',
  'last_active_admin',
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

export type RejectionCode = 'not_allowed_in_stage' | 'rule_violated' | 'forbidden';

// The decider says which rule refused and with which values; the edges (the API's problem writer,
// the screens) put it into words in their own language.
export type RuleParams = Record<string, string | number>;

export interface Rejection {
  code: RejectionCode;
  rule: RuleName;
  params: RuleParams;
}

export function reject(rule: RuleName, params: RuleParams = {}, code: RejectionCode = 'rule_violated'): Rejection {
  return { code, rule, params };
}

export function occurredAtRejection(at: string, state: CaseState | null, now: string, settings: Settings): Rejection | null {
  if (!Number.isFinite(ms(at))) return reject('occurred_at_invalid');
  if (ms(at) > ms(now) + settings.clockSkewSeconds * 1000) return reject('occurred_at_in_future');
  if (state && ms(at) < ms(state.lastOccurredAt)) return reject('occurred_at_before_previous');
  return null;
}

const isNonCommandEvent = (type: EventType): type is NonCommandEvent => (NON_COMMAND_EVENTS as readonly EventType[]).includes(type);

// A case booked by the hospital's system without its targets cannot be made ready: the time-out, the
// probe and the report all check against the planned targets, so someone who knows the plan sets them first.
export const targetsRejection = (state: CaseState): Rejection | null => (state.plannedTargets.length === 0 ? reject('targets_missing') : null);

// Everything still blocking mark_ready, for the nurse's checklist screen: the checklist's gaps, then
// the planned targets a booking from the hospital may have left to complete.
export function readinessBlockers(state: CaseState): Rejection[] {
  const targets = targetsRejection(state);
  return [...checklistGaps(state.checklist).map((gap) => reject(gap)), ...(targets ? [targets] : [])];
}

// A motor response is the warning that protects a motor nerve: it stands until the probe moves.
// Another result at the same position (or undoing it) would let a freeze go ahead where it fired.
export const stimulationRejection = (state: CaseState): Rejection | null =>
  state.probe.stimulation === 'motor' ? reject('motor_response') : null;

// Everything refusing start_freeze at the current probe position.
export function freezeBlockers(state: CaseState): Rejection[] {
  const out: Rejection[] = [];
  if (state.aborted) out.push(reject('procedure_aborted'));
  const p = state.probe;
  if (!p.target || !p.guidance || (p.status !== 'positioned' && p.status !== 'idle')) out.push(reject('probe_not_positioned'));
  const motor = stimulationRejection(state);
  if (motor) out.push(motor);
  return out;
}

export function probeRemovalBlockers(state: CaseState): Rejection[] {
  if (FROZEN_STAGES.includes(state.stage)) return [reject('probe_still_frozen')];
  if (!state.aborted && completeCycles(state).length === 0) return [reject('cycle_required')];
  return [];
}

// The normal ranges as the vitals_abnormal sentence names them, read from the one table.
const VITAL_RANGE_PARAMS = {
  hrMin: VITAL_RANGES.heartRate.min,
  hrMax: VITAL_RANGES.heartRate.max,
  sysMin: VITAL_RANGES.systolic.min,
  sysMax: VITAL_RANGES.systolic.max,
  spo2Min: VITAL_RANGES.spo2.min,
};

export const temperatureRejection = (lowestTempC: number): Rejection | null =>
  lowestTempC < FREEZE_TEMP_RANGE.min || lowestTempC > FREEZE_TEMP_RANGE.max
    ? reject('temperature_implausible', { value: lowestTempC, min: FREEZE_TEMP_RANGE.min, max: FREEZE_TEMP_RANGE.max })
    : null;

// A freeze ends with the lowest temperature it reached, or explicitly with no ice ball (the gas
// failed, the start was a mis-tap): never with a temperature invented to get past the form, never
// with a measure of an ice ball that was not there, and never as a cycle seconds after it started.
export function freezeEndRejection(
  end: { lowestTempC?: number; noIceBall?: boolean; iceBallMm?: number },
  freeze?: { startedAt: string; endsAt: string },
): Rejection | null {
  if (end.noIceBall === true)
    return end.lowestTempC === undefined && end.iceBallMm === undefined ? null : reject('no_ice_ball_with_measure');
  if (end.lowestTempC === undefined) return reject('temperature_required');
  if (freeze) {
    const seconds = (ms(freeze.endsAt) - ms(freeze.startedAt)) / 1000;
    if (seconds < MIN_FREEZE_SECONDS) return reject('freeze_too_short', { seconds: Math.max(0, Math.floor(seconds)), min: MIN_FREEZE_SECONDS });
  }
  return temperatureRejection(end.lowestTempC);
}

export const vitalsRejection = (v: Pick<VitalSigns, 'systolic' | 'diastolic'>): Rejection | null =>
  vitalsPlausible(v) ? null : reject('vitals_implausible', { systolic: v.systolic, diastolic: v.diastolic });

// The checklist is the first moment, confirmed before the room: once in, only the weight (which sets
// the anaesthetic maximum) may still be recorded.
export function checklistRejection(state: CaseState, input: ChecklistInput): Rejection | null {
  if (state.stage === 'in_room' && Object.keys(input).some((k) => k !== 'weightKg' && (input as Record<string, unknown>)[k] !== undefined))
    return reject('checklist_closed');
  return allergiesRejection(input);
}

// An allergy is told by its allergens: "yes" names at least one, "no" names none.
export function allergiesRejection(input: ChecklistInput): Rejection | null {
  const a = input.allergies;
  if (!a) return null;
  const count = a.allergens?.length ?? 0;
  if (a.has && count === 0) return reject('allergens_missing');
  if (!a.has && count > 0) return reject('allergens_without_allergy');
  if (a.allergens?.includes('other') && !a.details?.trim()) return reject('note_required');
  return null;
}

type TimeOutInput = Omit<CommandOf<'confirm_time_out'>, 'type'>;

// Every item of the time-out is confirmed aloud, and the targets read out are the plan's.
// siteMarked is a fact (not every site can be marked), so it may be false.
export function timeOutRejection(state: CaseState, t: TimeOutInput): Rejection | null {
  const ticks = [t.identityConfirmed, t.procedureConfirmed, t.allergiesReviewed, t.anticoagulationReviewed, t.imagingReviewed, t.equipmentChecked];
  if (ticks.some((v) => v !== true)) return reject('time_out_incomplete');
  return sameTargetSet(t.targets, state.plannedTargets) ? null : reject('time_out_targets_mismatch');
}

// Whether a local anaesthetic may be given now: after the time-out, to a weighed patient, of no
// class the patient is allergic to (unless a radiologist signs why), within the maximum dose.
export function localAnesthesiaRejection(
  state: CaseState,
  dose: AnestheticDose & { allergyOverrideReason?: string },
  role: Role,
): Rejection | null {
  if (state.aborted) return reject('procedure_aborted');
  if (!state.timeOut) return reject('time_out_required');
  const weight = state.checklist.weightKg;
  if (weight == null) return reject('weight_missing');
  const allergen = allergyConflict(state.checklist.allergies, { agent: dose.agent });
  if (allergen && !(role === 'radiologist' && dose.allergyOverrideReason?.trim()))
    return reject('allergy_to_agent', { allergen, drug: dose.agent });
  const check = doseCheck(recordedDoses(state), dose, weight);
  return check.level === 'exceeded'
    ? reject('max_dose_exceeded', { agent: dose.agent, total: check.totalMg, max: check.maxMg, weight })
    : null;
}

// The figures the local-anaesthesia form shows while the radiologist types (null with no weight
// on file, when the machine refuses with weight_missing anyway).
export function anesthesiaDoseCheck(state: CaseState, proposed: AnestheticDose): DoseCheck | null {
  const weight = state.checklist.weightKg;
  return weight == null ? null : doseCheck(recordedDoses(state), proposed, weight);
}

export function sedationRejection(state: CaseState, drug: { drug: string; allergyOverrideReason?: string }, role: Role): Rejection | null {
  const allergen = allergyConflict(state.checklist.allergies, { sedation: drug.drug });
  return allergen && !(role === 'radiologist' && drug.allergyOverrideReason?.trim())
    ? reject('allergy_to_agent', { allergen, drug: drug.drug })
    : null;
}

// The probe goes on a target of the case: never on the other side of one, and elsewhere only with
// the radiologist's reason (the target then joins the case's targets).
export function probeTargetRejection(state: CaseState, target: Target, offPlanReason?: string): Rejection | null {
  if (state.aborted) return reject('procedure_aborted');
  const fit = targetFit(caseTargets(state), target);
  if (fit === 'side_mismatch') return reject('side_mismatch', { side: target.side });
  if (fit === 'not_planned' && !offPlanReason?.trim()) return reject('target_not_planned');
  return null;
}

// A device is recorded as its label reads: a scan that cannot be read or a GTIN with a wrong check
// digit is a typo to fix, not a device; one past its expiry on the day of the act is not used.
export function deviceRejection(input: DeviceInput | undefined, at: string, timeZone: string): Rejection | null {
  if (!input) return null;
  const reading = readDevice(input);
  if (!reading.ok) return reject(reading.error);
  // A device expires at the end of its day in the unit's zone.
  const day = dayOf(at, timeZone);
  return isExpiredOn(reading.device, day) ? reject('device_expired', { expiry: reading.device.expiry!, day }) : null;
}

/** The guided modalities of the case still without their dose: each one must be reported before sign-out. */
export const missingDoses = (state: CaseState): DoseModality[] =>
  caseGuidances(state)
    .filter(isDoseModality)
    .filter((m) => !caseDoses(state).some((d) => d.modality === m));

export function doseRequiredRejection(state: CaseState): Rejection | null {
  const missing = missingDoses(state)[0];
  return missing ? reject('dose_required', { guidance: missing }) : null;
}

/**
 * A dose as the console reads it: the figures of its modality (DLP and CTDIvol for CT, dose-area
 * product and fluoroscopy time for cone-beam CT), none of the other's, each within what a guided
 * cryoneurolysis can give, on a machine the unit lists for that modality.
 */
export function doseRejection(
  state: CaseState,
  dose: DoseFigures & { modality: DoseModality; equipment: string },
  equipment: readonly Equipment[] = [],
): Rejection | null {
  if (!caseGuidances(state).includes(dose.modality)) return reject('dose_modality_not_used', { guidance: dose.modality });
  const own = DOSE_FIELDS_OF[dose.modality];
  const missing = own.filter((f) => dose[f] === undefined);
  if (missing.length) return reject('dose_incomplete', { guidance: dose.modality });
  const other = DOSE_MODALITIES.filter((m) => m !== dose.modality).flatMap((m) => DOSE_FIELDS_OF[m]);
  if (other.some((f) => dose[f] !== undefined)) return reject('dose_other_modality', { guidance: dose.modality });
  for (const field of own) {
    const value = dose[field]!;
    const range = DOSE_RANGES[field];
    if (value < range.min || value > range.max) return reject('dose_implausible', { field, value, min: range.min, max: range.max });
  }
  const listed = equipment.filter((e) => e.modality === dose.modality);
  if (equipment.length > 0 && !listed.some((e) => e.name === dose.equipment.trim()))
    return reject('equipment_unknown', { equipment: dose.equipment, guidance: dose.modality });
  return null;
}

/**
 * Signing freezes the text: it needs the radiologist's conclusion, and a new version after a
 * signature needs its reason and must change something.
 */
export function signReportRejection(state: CaseState, sign: { lang: 'fr' | 'en'; reason?: string }): Rejection | null {
  const report = reportOf(state);
  if (!report.conclusion?.trim()) return reject('report_conclusion_required');
  const last = report.signatures.at(-1);
  if (!last) return null;
  if (reportText(draftReport(state, sign.lang)) === last.text) return reject('report_unchanged', { version: last.version });
  return sign.reason?.trim() ? null : reject('report_change_reason_required', { version: last.version });
}

type SignOutInput = Omit<CommandOf<'confirm_sign_out'>, 'type'>;

export const signOutRejection = (s: SignOutInput): Rejection | null =>
  s.cyclesReviewed === true && s.complicationsReviewed === true && s.instructionsHandedOver === true
    ? null
    : reject('sign_out_incomplete');

// The running freeze's start, for freeze_too_short.
export const runningFreezeStart = (state: CaseState): string | null => currentCycle(state)?.freezeStartedAt ?? null;

// An override answers the PADSS it was signed against: a score recorded since then needs a new
// signature. Compared by time (events never go back in time; at the same instant the score wins),
// so the stored events keep their meaning however often they are folded.
export function overrideStands(state: CaseState): boolean {
  const override = state.dischargeOverride;
  if (!override) return false;
  return state.padss === null || ms(override.at) > ms(state.padss.at);
}

// Clinical discharge criteria for a discharge at `at` (its occurredAt), checked at the server clock
// `now`: the escort and instruction ticks belong to the discharge form itself and are checked by
// decide(). occurredAt may run up to the clock skew ahead of `now`, so each criterion takes the
// stricter end: observation lasts until min(at, now), vitals must be fresh at `at`.
export function dischargeBlockers(state: CaseState, at: string, settings: Settings, now: string = at): Rejection[] {
  const out: Rejection[] = [];
  const start = state.observationStartedAt;
  if (start === null) return [reject('observation_too_short', { elapsed: 0, required: requiredObservationMinutes(state.sedated, settings) })];
  const required = requiredObservationMinutes(state.sedated, settings);
  const elapsed = minutesBetween(start, ms(now) < ms(at) ? now : at);
  if (elapsed < required) out.push(reject('observation_too_short', { elapsed: Math.floor(Math.max(0, elapsed)), required }));

  const during = state.vitals.filter((v) => ms(v.at) >= ms(start) && ms(v.at) <= ms(at));
  const latest = during[during.length - 1];
  if (!latest) out.push(reject('vitals_missing'));
  else {
    const age = minutesBetween(latest.at, at);
    if (age > settings.vitalsMaxAgeMinutes) out.push(reject('vitals_stale', { age: Math.floor(age), max: settings.vitalsMaxAgeMinutes }));
    if (!vitalsInRange(latest)) out.push(reject('vitals_abnormal', VITAL_RANGE_PARAMS));
  }

  if (state.sedated) {
    const aldrete = state.aldrete && ms(state.aldrete.at) >= ms(start) ? state.aldrete : null;
    if (!aldrete) out.push(reject('aldrete_missing', { min: MIN_ALDRETE }));
    else if (aldrete.total < MIN_ALDRETE) out.push(reject('aldrete_too_low', { score: aldrete.total, min: MIN_ALDRETE }));
  }

  if (!overrideStands(state)) {
    const padss = state.padss && ms(state.padss.at) >= ms(start) ? state.padss : null;
    if (!padss) out.push(reject('padss_missing'));
    else if (padss.total < MIN_PADSS) out.push(reject('padss_too_low', { score: padss.total, min: MIN_PADSS }));
  }
  return out;
}

// Whether correct_last would be accepted now: decide() refuses with it and nextActions() hides the
// button with it, so the tablet never offers a correction the server would refuse.
export function correctionRejection(state: CaseState, role: Role, rooms: readonly RoomView[]): Rejection | null {
  const undo = state.undo;
  if (!undo) return reject('nothing_to_correct');
  // Correct only what your role could have entered: a nurse does not undo the radiologist's freeze.
  if (isNonCommandEvent(undo.eventType) || !canSend(role, COMMAND_OF_EVENT[undo.eventType])) return reject('cannot_correct_others_step');
  // The record may be wrong, the cold is real: undoing FreezeStarted would show a frozen probe as
  // merely positioned, free to be removed or frozen a second time. The freeze ends by end_freeze.
  if (undo.eventType === 'FreezeStarted') return reject('freeze_cannot_be_undone');
  // Undoing a motor result would clear it with the probe still in place; only position_probe may.
  // (No result can follow a motor one, so a motor probe after StimulationRecorded means that was it.)
  if (undo.eventType === 'StimulationRecorded') {
    const motor = stimulationRejection(state);
    if (motor) return motor;
  }
  // Undoing the patient's departure puts them back in the room, which must not hold someone else.
  const backInto = state.roomId === null ? undo.before.roomId : null;
  if (backInto) {
    const room = rooms.find((r) => r.id === backInto);
    if (room && room.status === 'occupied' && room.caseId !== state.id) return reject('room_not_free', { room: room.name });
  }
  return null;
}
