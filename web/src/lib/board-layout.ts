import { isTerminal, type Alert, type BoardCase, type Settings } from '$shared';
import type { Room } from '$lib/api/client';
import { unitDay } from './format';

export interface BoardLanes {
  byRoom: Map<string, BoardCase[]>;
  admission: BoardCase[];
  observation: BoardCase[];
  done: BoardCase[];
}

const byTime = (a: BoardCase, b: BoardCase) => a.scheduledAt.localeCompare(b.scheduledAt);

/** Where each patient stands on the wall: in a room, waiting, observed, or done. */
export function boardLanes(cases: Iterable<BoardCase>, rooms: Room[], day: string | null): BoardLanes {
  const lanes: BoardLanes = { byRoom: new Map(rooms.map((r) => [r.id, []])), admission: [], observation: [], done: [] };
  for (const c of cases) {
    const inRoom = c.roomId ? lanes.byRoom.get(c.roomId) : undefined;
    if (inRoom) inRoom.push(c);
    else if (day && unitDay(c.scheduledAt) !== day) continue;
    else if (isTerminal(c.stage)) lanes.done.push(c);
    else if (c.stage === 'scheduled' || c.stage === 'admitted' || c.stage === 'ready') lanes.admission.push(c);
    else lanes.observation.push(c);
  }
  lanes.admission.sort(byTime);
  lanes.observation.sort(byTime);
  lanes.done.sort(byTime);
  return lanes;
}

/**
 * The server computes alerts when an event happens; the clock-driven ones (a freeze running over, a
 * long wait in ready) must also appear when nothing happens, so the board adds them from its own clock.
 */
export function liveAlerts(c: BoardCase, now: number, settings: Settings): Alert[] {
  const alerts = [...c.alerts];
  const has = (code: Alert['code']) => alerts.some((a) => a.code === code);
  if (c.freeze && !has('freeze_overrun')) {
    const due = Date.parse(c.freeze.startedAt) + c.freeze.plannedSeconds * 1000;
    if (now > due) alerts.push({ code: 'freeze_overrun', since: new Date(due).toISOString() });
  }
  if (c.stage === 'ready' && !has('waiting_ready_too_long')) {
    const due = Date.parse(c.stageSince) + settings.readyWaitAlertMinutes * 60_000;
    if (now > due) alerts.push({ code: 'waiting_ready_too_long', since: new Date(due).toISOString() });
  }
  return alerts;
}
