import {
  CANCEL_REASONS,
  COMPLICATION_KINDS,
  caseDevices,
  caseDoses,
  DURATION_KEYS,
  doseFraction,
  initials,
  isTerminal,
  madeIceBall,
  recordedDoses,
  sameTarget,
  type Average,
  type CaseLine,
  type CaseState,
  type DayReport,
  type DurationKey,
  type RoomLine,
  type Stage,
  type TargetLine,
} from '../../shared';
import { caseFigures, turnoverMinutes } from './case-figures';
import { countsInReports, freezeSeconds, milestones, minutesBetween } from './timing';

/** A room_ready as the report needs it (room events carry no case). */
export interface RoomReadyMark {
  roomId: string;
  at: string;
}

export interface DayReportInput {
  date: string;
  cases: readonly CaseState[];
  rooms: readonly { id: string; name: string }[];
  roomReadies: readonly RoomReadyMark[];
  /** Closes intervals still open (a patient in a room right now). */
  now: string;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

export function average(values: readonly (number | null)[]): Average {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (known.length === 0) return { mean: null, median: null, n: 0 };
  const mid = Math.floor(known.length / 2);
  const median = known.length % 2 ? known[mid]! : (known[mid - 1]! + known[mid]!) / 2;
  return { mean: round1(known.reduce((a, b) => a + b, 0) / known.length), median: round1(median), n: known.length };
}

export const HEADLINE_GROUPS = ['notArrived', 'inProgress', 'discharged', 'cancelled', 'transferred'] as const;
export type HeadlineGroup = (typeof HEADLINE_GROUPS)[number];

/** The one headline group of a patient in this stage: booked but not arrived, on the way, or one of the three ends. */
export function headlineGroup(stage: Stage): HeadlineGroup {
  if (stage === 'scheduled') return 'notArrived';
  if (isTerminal(stage)) return stage;
  return 'inProgress';
}

function countBy<K extends string>(keys: readonly K[]): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  for (const k of keys) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/** The room intervals of the day: who occupied which room from when to when. */
function occupancies(cases: readonly CaseState[], now: string) {
  return cases.flatMap((state) => {
    const m = milestones(state);
    if (!state.procedureRoomId || !m.inRoomAt) return [];
    return [{ roomId: state.procedureRoomId, from: m.inRoomAt, to: m.leftRoomAt ?? now, left: m.leftRoomAt }];
  });
}

export function targetLines(cases: readonly CaseState[]): TargetLine[] {
  const byTarget = new Map<string, TargetLine>();
  for (const state of cases) {
    for (const cycle of state.cycles) {
      const { nerve, level, side } = cycle.target;
      const key = JSON.stringify([nerve, level ?? null, side]);
      const line = byTarget.get(key) ?? { nerve, level: level ?? null, side, cycles: 0, totalFreezeSeconds: 0, lowestTempC: null, noIceBall: 0, running: 0, offPlan: false };
      byTarget.set(key, line);
      if ((state.offPlanTargets ?? []).some((t) => sameTarget(t.target, cycle.target))) line.offPlan = true;
      if (!madeIceBall(cycle)) {
        line.noIceBall += 1;
        continue;
      }
      if (!countsInReports(cycle)) {
        line.running += 1;
        continue;
      }
      line.cycles += 1;
      line.totalFreezeSeconds += freezeSeconds(cycle) ?? 0;
      if (cycle.lowestTempC !== null) line.lowestTempC = line.lowestTempC === null ? cycle.lowestTempC : Math.min(line.lowestTempC, cycle.lowestTempC);
    }
  }
  return [...byTarget.values()].sort((a, b) => b.cycles - a.cycles || a.nerve.localeCompare(b.nerve));
}

function safetyFigures(state: CaseState): Pick<CaseLine, 'timeOut' | 'signOut' | 'offPlanTargets' | 'localAnestheticMg' | 'maxDosePct'> {
  const doses = recordedDoses(state);
  const weight = state.checklist.weightKg;
  return {
    timeOut: !!state.timeOut,
    signOut: !!state.signOut,
    offPlanTargets: (state.offPlanTargets ?? []).length,
    localAnestheticMg: doses.length ? round1(doses.reduce((sum, d) => sum + d.mg, 0)) : null,
    maxDosePct: doses.length && weight != null ? round1(doseFraction(doses, weight) * 100) : null,
  };
}

/** The day report: pure, so it is tested on hand-built states and gives the same figures on every screen. */
export function dayReport(input: DayReportInput): DayReport {
  const { cases, now } = input;
  const lines: CaseLine[] = cases.map((state) => {
    const figures = caseFigures(state);
    return {
      caseId: state.id,
      initials: initials(state.patient.firstName, state.patient.lastName),
      scheduledAt: state.scheduledAt,
      stage: state.stage,
      roomId: state.procedureRoomId,
      milestones: figures.milestones,
      durations: figures.durations,
      cycles: figures.cycles,
      noIceBall: figures.noIceBall,
      complications: state.complications.length,
      ...safetyFigures(state),
      doses: caseDoses(state).map((d) => ({
        modality: d.modality,
        equipment: d.equipment,
        dlpMgyCm: d.dlpMgyCm ?? null,
        ctdiVolMgy: d.ctdiVolMgy ?? null,
        dapGyCm2: d.dapGyCm2 ?? null,
        fluoroscopySeconds: d.fluoroscopySeconds ?? null,
      })),
      devices: caseDevices(state).map((d) => ({ kind: d.kind, gtin: d.gtin ?? null, lot: d.lot ?? null, serial: d.serial ?? null, expiry: d.expiry ?? null })),
    };
  });
  const averages = Object.fromEntries(DURATION_KEYS.map((k) => [k, average(lines.map((l) => l.durations[k]))])) as Record<
    DurationKey,
    Average
  >;

  const intervals = occupancies(cases, now);
  const readies = [...input.roomReadies].sort((a, b) => a.at.localeCompare(b.at));
  const departures = intervals.filter((i) => i.left !== null);
  const turnoverOf = (roomId: string, left: string) => turnoverMinutes(readies, roomId, left);
  // The activity span: from the first patient into a room to the last room released (or now, if busy).
  const starts = intervals.map((i) => i.from);
  const ends = [...intervals.map((i) => i.to), ...readies.map((r) => r.at)];
  const spanStart = starts.length ? starts.reduce((a, b) => (a < b ? a : b)) : null;
  const spanEnd = spanStart && ends.length ? ends.reduce((a, b) => (a > b ? a : b)) : null;
  const spanMinutes = minutesBetween(spanStart, spanEnd);

  const knownRooms = new Map(input.rooms.map((r) => [r.id, r.name]));
  for (const i of intervals) if (!knownRooms.has(i.roomId)) knownRooms.set(i.roomId, i.roomId);
  const rooms: RoomLine[] = [...knownRooms].map(([roomId, name]) => {
    const mine = intervals.filter((i) => i.roomId === roomId);
    const occupied = round1(mine.reduce((sum, i) => sum + (minutesBetween(i.from, i.to) ?? 0), 0));
    const turnovers = mine.filter((i) => i.left !== null).map((i) => turnoverOf(roomId, i.left!));
    return {
      roomId,
      name,
      patients: mine.length,
      occupiedMinutes: occupied,
      utilisation: spanMinutes ? Math.round((occupied / spanMinutes) * 1000) / 1000 : null,
      turnovers,
      meanTurnover: average(turnovers).mean,
    };
  });

  const complicationsByGrade = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0, '6': 0 };
  for (const c of cases.flatMap((s) => s.complications)) {
    const grade = String(c.grade) as keyof typeof complicationsByGrade;
    if (grade in complicationsByGrade) complicationsByGrade[grade] += 1;
  }
  const kinds = cases.flatMap((s) => s.complications.map((c) => c.kind));

  return {
    date: input.date,
    generatedAt: now,
    counts: {
      scheduled: cases.length,
      ...groupCounts(cases),
      aborted: cases.filter((s) => s.aborted).length,
    },
    cases: lines,
    averages,
    span: { start: spanStart, end: spanEnd, minutes: spanMinutes },
    rooms,
    meanTurnover: average(departures.map((i) => turnoverOf(i.roomId, i.left!))).mean,
    targets: targetLines(cases),
    complicationsByGrade,
    complicationsByKind: sortedCounts(kinds, COMPLICATION_KINDS),
    cancellationsByReason: sortedCounts(
      cases.flatMap((s) => (s.stage === 'cancelled' && s.cancellation ? [s.cancellation.reason] : [])),
      CANCEL_REASONS,
    ),
    delaysByReason: sortedCounts(
      cases.flatMap((s) => s.reschedules.map((r) => r.reason ?? ('unspecified' as const))),
      [...CANCEL_REASONS, 'unspecified'] as const,
    ),
  };
}

function groupCounts(cases: readonly CaseState[]): Record<HeadlineGroup, number> {
  const out = Object.fromEntries(HEADLINE_GROUPS.map((g) => [g, 0])) as Record<HeadlineGroup, number>;
  for (const state of cases) out[headlineGroup(state.stage)] += 1;
  return out;
}

// Counts in the order of the shared list, so the report reads the same way every day.
function sortedCounts<K extends string>(values: readonly K[], order: readonly K[]): Partial<Record<K, number>> {
  const counts = countBy(values);
  const out: Partial<Record<K, number>> = {};
  for (const k of order) if (counts[k]) out[k] = counts[k];
  return out;
}
