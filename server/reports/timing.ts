import { madeIceBall, type CaseState, type Milestones, type Stage, type StageDurations } from '../../shared';

// First time the case entered a stage: a patient sent back from ready to admitted (checklist
// reopened) arrived at the first admission, not the second.
const firstAt = (state: CaseState, stage: Stage): string | null => state.stageHistory.find((h) => h.stage === stage)?.at ?? null;

export function milestones(state: CaseState): Milestones {
  const inRoomAt = firstAt(state, 'in_room');
  const observationAt = state.observationStartedAt ?? firstAt(state, 'observation');
  const transferredFromRoom = state.stage === 'transferred' && inRoomAt !== null && observationAt === null;
  return {
    admittedAt: firstAt(state, 'admitted'),
    inRoomAt,
    // A freeze that made no ice ball (a mis-tap, a gas failure) was not the first freeze.
    firstFreezeAt: state.cycles.find(madeIceBall)?.freezeStartedAt ?? null,
    probeRemovedAt: firstAt(state, 'probe_removed'),
    leftRoomAt: observationAt ?? (transferredFromRoom ? (state.transfer?.at ?? null) : null),
    observationAt,
    dischargedAt: state.discharge?.at ?? null,
  };
}

export const minutesBetween = (from: string | null, to: string | null): number | null =>
  from === null || to === null ? null : Math.round(((Date.parse(to) - Date.parse(from)) / 60_000) * 10) / 10;

export function stageDurations(m: Milestones): StageDurations {
  return {
    arrivalToRoom: minutesBetween(m.admittedAt, m.inRoomAt),
    roomToFirstFreeze: minutesBetween(m.inRoomAt, m.firstFreezeAt),
    procedure: minutesBetween(m.inRoomAt, m.probeRemovedAt),
    observation: minutesBetween(m.observationAt, m.dischargedAt),
    totalStay: minutesBetween(m.admittedAt, m.dischargedAt),
  };
}

/**
 * A cycle the reports count and time: it made an ice ball and its freeze has ended. A freeze still
 * running has no duration yet; counted, it would read as a 0:00 cycle.
 */
export const countsInReports = (c: { noIceBall: boolean; freezeEndedAt: string | null }): boolean => madeIceBall(c) && c.freezeEndedAt !== null;

export const freezeSeconds = (c: { freezeStartedAt: string; freezeEndedAt: string | null }): number | null =>
  c.freezeEndedAt === null ? null : Math.round((Date.parse(c.freezeEndedAt) - Date.parse(c.freezeStartedAt)) / 1000);

export const thawSeconds = (c: { freezeEndedAt: string | null; thawEndedAt: string | null }): number | null =>
  c.freezeEndedAt === null || c.thawEndedAt === null ? null : Math.round((Date.parse(c.thawEndedAt) - Date.parse(c.freezeEndedAt)) / 1000);
