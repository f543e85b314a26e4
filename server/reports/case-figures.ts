import { madeIceBall, type CaseState, type Milestones, type StageDurations } from '../../shared';
import type { RoomReadyMark } from './day-report';
import { countsInReports, milestones, minutesBetween, stageDurations } from './timing';

/** What every report reads of one case, computed once so the day report and the range report count alike. */
export interface CaseFigures {
  milestones: Milestones;
  durations: StageDurations;
  /** Cycles that made an ice ball and ended. */
  cycles: number;
  noIceBall: number;
  /** Treatment sites (nerve, level, side) with at least one counted cycle. */
  treatedSites: number;
  /** The act took place: the patient entered a procedure room. */
  performed: boolean;
  /** Minutes from the time booked to the patient into the room; negative when early. */
  startDelay: number | null;
}

export function caseFigures(state: CaseState): CaseFigures {
  const m = milestones(state);
  const counted = state.cycles.filter(countsInReports);
  const sites = new Set(counted.map((c) => JSON.stringify([c.target.nerve, c.target.level ?? null, c.target.side])));
  return {
    milestones: m,
    durations: stageDurations(m),
    cycles: counted.length,
    noIceBall: state.cycles.filter((c) => !madeIceBall(c)).length,
    treatedSites: sites.size,
    performed: m.inRoomAt !== null,
    startDelay: minutesBetween(state.scheduledAt, m.inRoomAt),
  };
}

/**
 * Minutes from a patient leaving a room to the first time that room was declared ready afterwards,
 * among `readies` (sorted by time, already limited to the day); null while it is still being cleaned.
 */
export function turnoverMinutes(readies: readonly RoomReadyMark[], roomId: string, leftAt: string): number | null {
  const ready = readies.find((r) => r.roomId === roomId && r.at >= leftAt);
  return ready ? minutesBetween(leftAt, ready.at) : null;
}
