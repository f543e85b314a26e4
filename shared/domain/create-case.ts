import type { ScheduleCaseBody } from './commands';
import { clean } from './clean';
import { refuse, type DecideContext, type Decision } from './context';
import type { CaseEvent } from './events';
import { canSend } from './roles';
import { reject } from './rules';

// The first event of every case stream. Only coordinators schedule: admins manage accounts, and
// clinical staff work from the coordinator's plan.
export function createCase(caseId: string, body: ScheduleCaseBody, ctx: DecideContext): Decision {
  if (!canSend(ctx.actor.role, 'schedule_case'))
    return refuse(reject('role_not_allowed', { role: ctx.actor.role }, 'forbidden'));
  const roomId = body.plannedRoomId ?? null;
  if (roomId !== null && !ctx.rooms.some((r) => r.id === roomId)) return refuse(reject('room_unknown', { roomId }));
  // Dates compare as strings in YYYY-MM-DD form.
  if (body.patient.birthDate > ctx.now.slice(0, 10)) return refuse(reject('birth_date_in_future'));
  const event: CaseEvent = clean({
    type: 'CaseScheduled',
    occurredAt: ctx.now,
    recordedAt: ctx.now,
    actor: ctx.actor,
    data: { ...body, plannedRoomId: roomId, caseId },
  });
  return { ok: true, events: [event] };
}
