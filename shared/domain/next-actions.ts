import { hasPositiveContraindication } from './checklist';
import type { CommandType } from './command-types';
import type { DecideContext } from './context';
import { canSend, type Role } from './roles';
import { MACHINE, can, stepOf } from './machine';
import { dischargeBlockers, freezeBlockers, probeRemovalBlockers, readinessBlockers, reject, type Rejection } from './rules';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import { CHECKLIST_STAGES, inStages } from './stages';
import type { CaseState } from './state';
import { commandsAllowedIn } from './transitions';

export interface NextActions {
  primary: CommandType | null;
  others: CommandType[];
}

// The one obvious next step of the normal flow, whoever takes it (the board shows it too): the
// machine table's step column.
export const nextStep = (state: CaseState, settings: Settings = DEFAULT_SETTINGS): CommandType | null => stepOf(state, settings);

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
  // A booking that arrived without its targets waits on whoever may plan them: for them that is the step.
  if (!primary && state.plannedTargets.length === 0 && canSend(role, 'plan_targets') && commandsAllowedIn(state.stage).includes('plan_targets')) primary = 'plan_targets';
  // In observation, when what blocks the step is the vitals (none since observation began, or too
  // old), the vitals are the step: they are proposed, not left under the other actions.
  if (primary && state.stage === 'observation' && primary !== 'record_vitals' && ctx?.now && ctx.settings && canSend(role, 'record_vitals')) {
    const at = ctx.now > state.lastOccurredAt ? ctx.now : state.lastOccurredAt;
    const rules = dischargeBlockers(state, at, ctx.settings, ctx.now).map((b) => b.rule);
    if (rules.includes('vitals_stale') || rules.includes('vitals_missing')) primary = 'record_vitals';
  }
  const locked = hasPositiveContraindication(state.checklist) && inStages(state.stage, CHECKLIST_STAGES);
  const others = commandsAllowedIn(state.stage).filter((c) => {
    if (c === primary || !canSend(role, c)) return false;
    // A correction, a second stimulation result over a motor response, the way out of the room
    // before the sign-out: offered only when the machine would take them. The anaesthetic stays
    // offered before the time-out: tapping it says why it must wait (time_out_required), which is
    // what a new radiologist needs to read.
    if (MACHINE[c].offerOnlyIfAllowed) return can(state, c, role, { ...ctx, rooms: ctx?.rooms ?? [] }).ok;
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
