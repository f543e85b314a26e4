import type { Command } from './commands';
import { EVENT_OF_COMMAND } from './command-types';
import { clean } from './clean';
import { recordedDevice } from './devices';
import { draftReport, reportOf, reportText } from './procedure-report';
import { refuse, type DecideContext, type Decision } from './context';
import type { CaseEvent } from './events';
import { can } from './machine';
import type { CaseState } from './state';

// decide(command, state, ctx) → events | rejection. What is checked, and in which order (who,
// stage, when, then the command's own rules), is the machine table's: decide() asks can() with the
// whole command, then writes the one event it becomes.
export function decide(command: Command & { occurredAt?: string }, state: CaseState, ctx: DecideContext): Decision {
  const verdict = can(state, command, ctx.actor.role, ctx);
  if (!verdict.ok) return refuse(verdict.rejection);
  return { ok: true, events: [toEvent(command, state, ctx, command.occurredAt ?? ctx.now)] };
}

function toEvent(command: Command & { occurredAt?: string }, state: CaseState, ctx: DecideContext, at: string): CaseEvent {
  // Transport fields (expectedVersion, occurredAt) are not part of the fact.
  const { type, occurredAt: _at, expectedVersion: _v, ...payload } = command as Command & {
    occurredAt?: string;
    expectedVersion?: number;
  };
  const data =
    type === 'correct_last'
      ? { ...payload, correctedType: state.undo?.eventType }
      : type === 'plan_targets'
        ? { ...payload, previousTargets: state.plannedTargets }
        : type === 'sign_report'
        ? { ...payload, text: reportText(draftReport(state, (payload as { lang: 'fr' | 'en' }).lang)), version: reportOf(state).signatures.length + 1 }
        : 'device' in payload
        ? { ...payload, device: recordedDevice(payload.device) }
        : payload;
  return clean({ type: EVENT_OF_COMMAND[type], occurredAt: at, recordedAt: ctx.now, actor: ctx.actor, data }) as CaseEvent;
}
