import { hasPositiveContraindication } from './checklist';
import type { CommandType } from './command-types';
import type { DecideContext } from './context';
import { canSend, type Role } from './roles';
import {
  correctionRejection,
  dischargeBlockers,
  freezeBlockers,
  overrideStands,
  probeRemovalBlockers,
  readinessBlockers,
  reject,
  stimulationRejection,
  type Rejection,
} from './rules';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { caseTargets, completeCycles, madeIceBall, type CaseState } from './state';
import { sameTarget, untreatedTargets } from './targets';
import { commandsAllowedIn } from './transitions';
import { MIN_ALDRETE } from './vitals';

export interface NextActions {
  primary: CommandType | null;
  others: CommandType[];
}

// The one obvious next step of the normal flow, whoever takes it (the board shows it too).
export function nextStep(state: CaseState, settings: Settings = DEFAULT_SETTINGS): CommandType | null {
  if (hasPositiveContraindication(state.checklist) && (state.stage === 'admitted' || state.stage === 'ready'))
    return 'cancel';
  switch (state.stage) {
    case 'scheduled':
      return 'admit';
    case 'admitted':
      return 'mark_ready';
    case 'ready':
      return 'enter_room';
    case 'in_room':
      return state.timeOut ? 'give_local_anesthesia' : 'confirm_time_out';
    case 'local_anesthesia':
      return 'position_probe';
    case 'probe_placement':
      return probePlacementStep(state, settings);
    case 'freezing':
      return 'end_freeze';
    case 'thawing':
      return 'end_thaw';
    case 'probe_removed':
      return 'apply_dressing';
    case 'dressing':
      return state.signOut ? 'start_observation' : 'confirm_sign_out';
    case 'observation':
      return observationStep(state);
    case 'discharged':
    case 'cancelled':
    case 'transferred':
      return null;
    default: {
      const unreachable: never = state.stage;
      return unreachable;
    }
  }
}

function probePlacementStep(s: CaseState, settings: Settings): CommandType {
  if (s.aborted) return 'remove_probe';
  if (s.probe.stimulation === 'motor') return 'position_probe';
  if (s.probe.status === 'positioned') return 'start_freeze';
  // A freeze that made no ice ball treated nothing: the probe is where it was, freeze again there.
  if (s.probe.status === 'idle' && s.cycles.length > 0 && !madeIceBall(s.cycles[s.cycles.length - 1]!)) return 'start_freeze';
  // The unit's usual number of cycles on the target the probe still sits on comes before moving on.
  const here = s.probe.target ? completeCycles(s).filter((c) => sameTarget(c.target, s.probe.target!)).length : 0;
  if (s.probe.status === 'idle' && here > 0 && here < settings.cyclesPerTarget) return 'start_freeze';
  const treated = completeCycles(s).map((c) => c.target);
  return untreatedTargets(caseTargets(s), treated).length > 0 ? 'position_probe' : 'remove_probe';
}

function observationStep(s: CaseState): CommandType {
  const start = s.observationStartedAt ?? '';
  if (!s.vitals.some((v) => v.at >= start)) return 'record_vitals';
  if (s.sedated && !(s.aldrete && s.aldrete.at >= start && s.aldrete.total >= MIN_ALDRETE)) return 'record_aldrete';
  if (!overrideStands(s) && !(s.padss && s.padss.at >= start)) return 'record_padss';
  return 'discharge';
}

// For a tablet: the primary button and the rest, only what this role may send in this stage.
// The flow's guards are not evaluated here on purpose: a blocked primary is still shown with its
// blockers(). Side commands that could only be refused (a correction, a second stimulation result
// over a motor response) are hidden, using decide()'s own rules; pass the rooms when known so a
// correction that would need a room someone else took is hidden too.
export function nextActions(state: CaseState, role: Role, ctx?: Partial<DecideContext>): NextActions {
  const step = nextStep(state, ctx?.settings);
  // Cancelling is what a positive contraindication leaves, but it cannot be taken back: it is offered
  // among the other actions (drawn as a warning, asked twice), never as the big button.
  let primary = step && step !== 'cancel' && canSend(role, step) ? step : null;
  // In observation, when what blocks the step is the vitals (none since observation began, or too
  // old), the vitals are the step: they are proposed, not left under the other actions.
  if (primary && state.stage === 'observation' && primary !== 'record_vitals' && ctx?.now && ctx.settings && canSend(role, 'record_vitals')) {
    const at = ctx.now > state.lastOccurredAt ? ctx.now : state.lastOccurredAt;
    const rules = dischargeBlockers(state, at, ctx.settings, ctx.now).map((b) => b.rule);
    if (rules.includes('vitals_stale') || rules.includes('vitals_missing')) primary = 'record_vitals';
  }
  const locked = hasPositiveContraindication(state.checklist) && (state.stage === 'admitted' || state.stage === 'ready');
  const others = commandsAllowedIn(state.stage).filter((c) => {
    if (c === primary || !canSend(role, c)) return false;
    if (c === 'correct_last') return correctionRejection(state, role, ctx?.rooms ?? []) === null;
    if (c === 'record_stimulation') return stimulationRejection(state) === null;
    // No way out of the room before the sign-out. The anaesthetic stays offered before the time-out:
    // tapping it says why it must wait (time_out_required), which is what a new radiologist needs to read.
    if (c === 'start_observation' && !state.signOut) return false;
    // A positive contraindication leaves only cancel (and the side records).
    if (locked) return c !== 'mark_ready' && c !== 'enter_room' && c !== 'reschedule_case';
    return true;
  });
  return { primary, others };
}

// What currently blocks the stage's main step, so the UI can say it before the nurse taps.
export function blockers(state: CaseState, ctx: Pick<DecideContext, 'now' | 'settings'> = { now: state.lastOccurredAt, settings: DEFAULT_SETTINGS }): Rejection[] {
  switch (state.stage) {
    case 'admitted':
      return readinessBlockers(state);
    case 'in_room':
      return state.timeOut && state.checklist.weightKg == null ? [reject('weight_missing')] : [];
    case 'probe_placement':
      return nextStep(state, ctx.settings) === 'remove_probe' ? probeRemovalBlockers(state) : freezeBlockers(state);
    case 'observation': {
      // Back-dating cannot move discharge before the last event, so measure from whichever is later.
      const at = ctx.now > state.lastOccurredAt ? ctx.now : state.lastOccurredAt;
      return dischargeBlockers(state, at, ctx.settings, ctx.now);
    }
    default:
      return [];
  }
}
