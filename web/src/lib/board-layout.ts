import { boardLaneOf, clockAlerts, type Alert, type BoardCase, type Settings } from '$shared';
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
    else lanes[boardLaneOf(c.stage)].push(c);
  }
  lanes.admission.sort(byTime);
  lanes.observation.sort(byTime);
  lanes.done.sort(byTime);
  return lanes;
}

/**
 * The server computes alerts when an event happens; the clock-driven ones (a freeze running over,
 * observation overdue, a long wait in ready) must also appear when nothing happens, so the board
 * adds them from its own clock, with the same shared rule and thresholds as the server.
 */
export function liveAlerts(c: BoardCase, now: number, settings: Settings): Alert[] {
  const alerts = [...c.alerts];
  for (const alert of clockAlerts(c, new Date(now).toISOString(), settings))
    if (!alerts.some((a) => a.code === alert.code)) alerts.push(alert);
  return alerts;
}
