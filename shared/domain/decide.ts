import { hasEscort } from './checklist';
import type { Command } from './commands';
import { EVENT_OF_COMMAND } from './command-types';
import { clean } from './clean';
import { refuse, type DecideContext, type Decision } from './context';
import type { CaseEvent } from './events';
import { canSend } from './roles';
import {
  checklistRejection,
  correctionRejection,
  dischargeBlockers,
  freezeBlockers,
  freezeEndRejection,
  localAnesthesiaRejection,
  occurredAtRejection,
  probeRemovalBlockers,
  probeTargetRejection,
  runningFreezeStart,
  sedationRejection,
  signOutRejection,
  timeOutRejection,
  vitalsRejection,
  readinessBlockers,
  reject,
  stageRejection,
  stimulationRejection,
  type Rejection,
} from './rules';
import type { CaseState } from './state';
import { isAllowedIn } from './transitions';

// decide(command, state, ctx) → events | rejection. Order of checks: who, stage, when, then the
// command's own rules — so a nurse learns first that she may not, then that it is not the moment.
export function decide(command: Command & { occurredAt?: string }, state: CaseState, ctx: DecideContext): Decision {
  if (!canSend(ctx.actor.role, command.type)) return refuse(reject('role_not_allowed', { role: ctx.actor.role }, 'forbidden'));
  if (!isAllowedIn(state.stage, command.type)) return refuse(stageRejection(state.stage, command.type));
  const at = command.occurredAt ?? ctx.now;
  const timing = occurredAtRejection(at, state, ctx.now, ctx.settings);
  if (timing) return refuse(timing);
  const broken = guard(command, state, ctx, at);
  if (broken) return refuse(broken);
  return { ok: true, events: [toEvent(command, state, ctx, at)] };
}

function toEvent(command: Command & { occurredAt?: string }, state: CaseState, ctx: DecideContext, at: string): CaseEvent {
  // Transport fields (expectedVersion, occurredAt) are not part of the fact.
  const { type, occurredAt: _at, expectedVersion: _v, ...payload } = command as Command & {
    occurredAt?: string;
    expectedVersion?: number;
  };
  const data = type === 'correct_last' ? { ...payload, correctedType: state.undo?.eventType } : payload;
  return clean({ type: EVENT_OF_COMMAND[type], occurredAt: at, recordedAt: ctx.now, actor: ctx.actor, data }) as CaseEvent;
}

const first = (rejections: Rejection[]): Rejection | null => rejections[0] ?? null;

function guard(c: Command, s: CaseState, ctx: DecideContext, at: string): Rejection | null {
  switch (c.type) {
    case 'reschedule_case':
      return c.plannedRoomId && !ctx.rooms.some((r) => r.id === c.plannedRoomId)
        ? reject('room_unknown', { roomId: c.plannedRoomId })
        : null;
    case 'record_checklist': {
      // A positive screening is only undone through correct_last, which leaves a reason on record.
      const cleared = Object.entries(c.contraindications ?? {}).some(
        ([k, v]) => v === 'negative' && s.checklist.contraindications[k as keyof typeof s.checklist.contraindications] === 'positive',
      );
      if (cleared) return reject('contraindication_cleared_by_resave');
      const { type: _type, occurredAt: _at, expectedVersion: _v, ...input } = c as typeof c & { occurredAt?: string; expectedVersion?: number };
      return checklistRejection(s, input);
    }
    case 'mark_ready': {
      // A positive contraindication is the reason to name first: it means cancel, not "fill in more".
      const blockers = readinessBlockers(s);
      return blockers.find((b) => b.rule === 'contraindication_positive') ?? first(blockers);
    }
    case 'enter_room': {
      const room = ctx.rooms.find((r) => r.id === c.roomId);
      if (!room) return reject('room_unknown', { roomId: c.roomId });
      return room.status === 'free' ? null : reject('room_not_free', { room: room.name });
    }
    case 'confirm_time_out':
      return timeOutRejection(s, c);
    case 'give_sedation':
      return hasEscort(s.checklist) ? sedationRejection(s, c, ctx.actor.role) : reject('escort_required_for_sedation');
    case 'give_local_anesthesia':
      return localAnesthesiaRejection(s, c, ctx.actor.role);
    case 'position_probe':
      return probeTargetRejection(s, c.target, c.offPlanReason);
    case 'record_stimulation':
      return stimulationRejection(s);
    case 'start_freeze':
      return first(freezeBlockers(s));
    case 'end_freeze': {
      const startedAt = runningFreezeStart(s);
      return freezeEndRejection(c, startedAt === null ? undefined : { startedAt, endsAt: at });
    }
    case 'remove_probe':
      return first(probeRemovalBlockers(s));
    case 'abort':
      return s.aborted ? reject('already_aborted') : null;
    case 'confirm_sign_out':
      return signOutRejection(c);
    case 'start_observation':
      return s.signOut ? null : reject('sign_out_required');
    case 'record_vitals':
      return vitalsRejection(c);
    case 'record_complication':
      return c.kind === 'other' && !c.note?.trim() ? reject('note_required') : null;
    case 'cancel':
      return c.reason === 'other' && !c.note?.trim() ? reject('note_required') : null;
    case 'discharge': {
      const clinical = first(dischargeBlockers(s, at, ctx.settings, ctx.now));
      if (clinical) return clinical;
      if (!c.escortConfirmed || !hasEscort(s.checklist)) return reject('escort_not_confirmed');
      return c.instructionsGiven ? null : reject('instructions_not_given');
    }
    case 'correct_last':
      return correctionRejection(s, ctx.actor.role, ctx.rooms);
    case 'admit':
    case 'end_thaw':
    case 'apply_dressing':
    case 'record_aldrete':
    case 'record_padss':
    case 'override_discharge_score':
    case 'record_pain_score':
    case 'transfer':
      return null;
    default: {
      const unreachable: never = c;
      throw new Error(`decide: unknown command ${(unreachable as { type: string }).type}`);
    }
  }
}
