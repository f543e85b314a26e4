import { rejectionMessage } from '../i18n/labels';
import { checklistGaps } from './checklist';
import type { CommandType } from './command-types';
import { requiredObservationMinutes, type Settings } from './settings';
import type { Stage } from './stages';
import { isTerminal } from './stages';
import { completeCycles, type CaseState } from './state';
import { minutesBetween, ms } from './time';
import { FREEZE_TEMP_RANGE, MIN_PADSS, vitalsInRange } from './vitals';

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
  // readiness checklist
  'identity_not_verified',
  'consent_missing',
  'anticoagulants_undeclared',
  'anticoagulants_not_managed',
  'anti_inflammatories_undeclared',
  'anti_inflammatories_not_managed',
  'allergies_undeclared',
  'escort_missing',
  'contraindication_unscreened',
  'contraindication_positive',
  // rooms
  'room_not_free',
  'room_not_cleaning',
  // procedure
  'cancel_too_late',
  'escort_required_for_sedation',
  'local_anesthesia_required',
  'probe_not_positioned',
  'motor_response',
  'freeze_already_running',
  'thaw_not_finished',
  'temperature_implausible',
  'probe_still_frozen',
  'cycle_required',
  'probe_in_place',
  'procedure_aborted',
  'already_aborted',
  // discharge
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
] as const;

export type RuleName = (typeof RULE_NAMES)[number];

export type RejectionCode = 'not_allowed_in_stage' | 'rule_violated' | 'forbidden';

export interface Rejection {
  code: RejectionCode;
  rule: RuleName;
  message: { fr: string; en: string };
}

export type RuleParams = Record<string, string | number>;

export function reject(rule: RuleName, params: RuleParams = {}, code: RejectionCode = 'rule_violated'): Rejection {
  return { code, rule, message: rejectionMessage(rule, params) };
}

// When a command is not in the transition table for the stage, say *why* in domain words where a
// design rule covers it (the frozen probe above all), and fall back to a generic "not now".
export function stageRejection(stage: Stage, command: CommandType): Rejection {
  if (isTerminal(stage)) return reject('case_closed', { stage }, 'not_allowed_in_stage');
  const frozen = stage === 'freezing' || stage === 'thawing';
  const beforeProbe = stage === 'in_room' || stage === 'local_anesthesia';
  if (frozen && (command === 'remove_probe' || command === 'position_probe' || command === 'transfer'))
    return reject('probe_still_frozen');
  if (command === 'start_freeze' && stage === 'freezing') return reject('freeze_already_running');
  if (command === 'start_freeze' && stage === 'thawing') return reject('thaw_not_finished');
  if (command === 'start_freeze' && beforeProbe) return reject('probe_not_positioned');
  if (command === 'remove_probe' && beforeProbe) return reject('probe_not_positioned');
  if (command === 'position_probe' && stage === 'in_room') return reject('local_anesthesia_required');
  if (command === 'transfer' && stage === 'probe_placement') return reject('probe_in_place');
  if (command === 'cancel') return reject('cancel_too_late');
  return reject('wrong_stage', { stage }, 'not_allowed_in_stage');
}

export function occurredAtRejection(at: string, state: CaseState | null, now: string, settings: Settings): Rejection | null {
  if (!Number.isFinite(ms(at))) return reject('occurred_at_invalid');
  if (ms(at) > ms(now) + settings.clockSkewSeconds * 1000) return reject('occurred_at_in_future');
  if (state && ms(at) < ms(state.lastOccurredAt)) return reject('occurred_at_before_previous');
  return null;
}

// Everything still blocking mark_ready, for the nurse's checklist screen.
export function readinessBlockers(state: CaseState): Rejection[] {
  return checklistGaps(state.checklist).map((gap) => reject(gap));
}

// Everything refusing start_freeze at the current probe position.
export function freezeBlockers(state: CaseState): Rejection[] {
  const out: Rejection[] = [];
  if (state.aborted) out.push(reject('procedure_aborted'));
  const p = state.probe;
  if (!p.target || !p.guidance || (p.status !== 'positioned' && p.status !== 'idle')) out.push(reject('probe_not_positioned'));
  if (p.stimulation === 'motor') out.push(reject('motor_response'));
  return out;
}

export function probeRemovalBlockers(state: CaseState): Rejection[] {
  if (state.stage === 'freezing' || state.stage === 'thawing') return [reject('probe_still_frozen')];
  if (!state.aborted && completeCycles(state).length === 0) return [reject('cycle_required')];
  return [];
}

export const temperatureRejection = (lowestTempC: number): Rejection | null =>
  lowestTempC < FREEZE_TEMP_RANGE.min || lowestTempC > FREEZE_TEMP_RANGE.max
    ? reject('temperature_implausible', { value: lowestTempC, min: FREEZE_TEMP_RANGE.min, max: FREEZE_TEMP_RANGE.max })
    : null;

// Clinical discharge criteria, measured at `at` (the discharge's occurredAt): the escort and
// instruction ticks belong to the discharge form itself and are checked by decide().
export function dischargeBlockers(state: CaseState, at: string, settings: Settings): Rejection[] {
  const out: Rejection[] = [];
  const start = state.observationStartedAt;
  if (start === null) return [reject('observation_too_short', { elapsed: 0, required: requiredObservationMinutes(state.sedated, settings) })];
  const required = requiredObservationMinutes(state.sedated, settings);
  const elapsed = minutesBetween(start, at);
  if (elapsed < required) out.push(reject('observation_too_short', { elapsed: Math.floor(Math.max(0, elapsed)), required }));

  const during = state.vitals.filter((v) => ms(v.at) >= ms(start) && ms(v.at) <= ms(at));
  const latest = during[during.length - 1];
  if (!latest) out.push(reject('vitals_missing'));
  else {
    const age = minutesBetween(latest.at, at);
    if (age > settings.vitalsMaxAgeMinutes) out.push(reject('vitals_stale', { age: Math.floor(age), max: settings.vitalsMaxAgeMinutes }));
    if (!vitalsInRange(latest)) out.push(reject('vitals_abnormal'));
  }

  if (!state.dischargeOverride) {
    const padss = state.padss && ms(state.padss.at) >= ms(start) ? state.padss : null;
    if (!padss) out.push(reject('padss_missing'));
    else if (padss.total < MIN_PADSS) out.push(reject('padss_too_low', { score: padss.total, min: MIN_PADSS }));
  }
  return out;
}
