import type Database from 'better-sqlite3';
import {
  CANCEL_REASONS,
  COMPLICATION_KINDS,
  DURATION_KEYS,
  ON_TIME_MINUTES,
  RANGE_PAIN_MOMENTS,
  dayOf,
  latestPainScore,
  periodKey,
  periodsOf,
  quantile,
  type CaseState,
  type GroupBy,
  type IndicationPain,
  type RangeFigures,
  type RangeReport,
  type Spread,
} from '../../shared';
import { caseFigures, turnoverMinutes, type CaseFigures } from './case-figures';
import { utcWindow } from './dates';
import type { RoomReadyMark } from './day-report';
import { ReportQueries } from './queries';

export interface RangeQuery {
  /** Both checked by checkRange (server/reports/range.ts) before they get here. */
  from: string;
  to: string;
  groupBy: GroupBy;
  timeZone: string;
  /** The report's generatedAt: given, so the same arguments give the same answer. */
  now: string;
}

/**
 * The cases of the range, by the day index. A stored state carries a whole copy of the state before its
 * last event (`undo`, for correct_last) and the signed report texts, devices and doses: the figures read
 * none of them, so SQLite drops them before the rows cross into JavaScript, which halves what a year's
 * report parses and holds (tests/integration/query-plans.test.ts checks the plan).
 */
export const RANGE_SQL = {
  cases: `select day, json_remove(json_set(state, '$.undo', null), '$.report', '$.devices', '$.doses') as state
       from cases where day >= ? and day <= ? order by day, scheduled_at, id`,
} as const;

const GRADES = ['1', '2', '3', '4', '5', '6'] as const;

const round1 = (n: number) => Math.round(n * 10) / 10;
const round3 = (n: number) => Math.round(n * 1000) / 1000;
const ratio = (count: number, of: number) => (of === 0 ? null : round3(count / of));
const per100 = (count: number, of: number) => (of === 0 ? null : round1((count / of) * 100));

function spread(values: readonly (number | null)[]): Spread {
  const known = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  const at = (q: number) => {
    const v = quantile(known, q);
    return v === null ? null : round1(v);
  };
  return { n: known.length, median: at(0.5), p90: at(0.9) };
}

function perAct(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((a, b) => a + b, 0);
  const median = quantile(sorted, 0.5);
  return { total, mean: sorted.length ? round1(total / sorted.length) : null, median: median === null ? null : round1(median) };
}

/** One case as the range report reads it: its figures, once, and the turnover of its room after it. */
/**
 * What the range figures read of one case, and nothing more: a year's report holds one of these per case
 * while it runs, never the parsed states (each several kilobytes), so its memory follows the case count.
 */
export interface RangeCase {
  day: string;
  figures: CaseFigures;
  turnover: number | null;
  stage: CaseState['stage'];
  cancelReason: string | null;
  complications: { grade: number; kind: string }[];
  sedated: boolean;
  aborted: boolean;
  /** A case planned on two nerves is reported under each; a nerve planned twice (both sides) counts once. */
  indications: string[];
  pain: Record<(typeof RANGE_PAIN_MOMENTS)[number], number | null>;
}

/** `turnoverOf` gives the minutes until the room the patient left was ready again, when it was. */
export function rangeCase(day: string, state: CaseState, turnoverOf: (leftAt: string, roomId: string) => number | null = () => null): RangeCase {
  const figures = caseFigures(state);
  const left = figures.milestones.leftRoomAt;
  const room = state.procedureRoomId;
  return {
    day,
    figures,
    turnover: left && room ? turnoverOf(left, room) : null,
    stage: state.stage,
    cancelReason: state.cancellation?.reason ?? null,
    complications: state.complications.map((c) => ({ grade: Number(c.grade), kind: c.kind })),
    sedated: !!state.sedated,
    aborted: !!state.aborted,
    indications: [...new Set(state.plannedTargets.map((t) => t.nerve))],
    pain: Object.fromEntries(RANGE_PAIN_MOMENTS.map((moment) => [moment, latestPainScore(state, moment)])) as RangeCase['pain'],
  };
}

function painByIndication(acts: readonly RangeCase[]): IndicationPain[] {
  const byNerve = new Map<string, RangeCase[]>();
  for (const act of acts)
    for (const nerve of act.indications) {
      const list = byNerve.get(nerve);
      if (list) list.push(act);
      else byNerve.set(nerve, [act]);
    }
  return [...byNerve]
    .map(([indication, cases]) => ({
      indication,
      acts: cases.length,
      moments: Object.fromEntries(
        RANGE_PAIN_MOMENTS.map((moment) => {
          const scores = cases.map((c) => c.pain[moment]).filter((v): v is number => v !== null).sort((a, b) => a - b);
          const median = quantile(scores, 0.5);
          return [
            moment,
            { n: scores.length, mean: scores.length ? round1(scores.reduce((a, b) => a + b, 0) / scores.length) : null, median: median === null ? null : round1(median) },
          ];
        }),
      ) as IndicationPain['moments'],
    }))
    .sort((a, b) => b.acts - a.acts || a.indication.localeCompare(b.indication));
}

/** The figures of a set of cases (one period's, or the whole range's): pure, exported for the unit tests. */
export function rangeFigures(cases: readonly RangeCase[]): RangeFigures {
  const acts = cases.filter((c) => c.figures.performed);
  const cancelled = cases.filter((c) => c.stage === 'cancelled');
  const cancellationsByReason: RangeFigures['cancellationsByReason'] = {};
  for (const reason of CANCEL_REASONS) {
    const n = cancelled.filter((c) => c.cancelReason === reason).length;
    if (n) cancellationsByReason[reason] = n;
  }

  const complications = acts.flatMap((c) => c.complications);
  const rated = (count: number) => ({ count, per100: per100(count, acts.length) });
  const byGrade = Object.fromEntries(GRADES.map((g) => [g, rated(complications.filter((c) => String(c.grade) === g).length)])) as RangeFigures['complications']['byGrade'];
  const byKind: RangeFigures['complications']['byKind'] = {};
  for (const kind of COMPLICATION_KINDS) {
    const n = complications.filter((c) => c.kind === kind).length;
    if (n) byKind[kind] = rated(n);
  }

  const delays = acts.map((c) => c.figures.startDelay);
  const onTime = delays.filter((d) => d !== null && d <= ON_TIME_MINUTES).length;
  const sedated = acts.filter((c) => c.sedated).length;

  return {
    scheduled: cases.length,
    performed: acts.length,
    aborted: acts.filter((c) => c.aborted).length,
    cancelled: cancelled.length,
    cancellationsByReason,
    transferred: cases.filter((c) => c.stage === 'transferred').length,
    targetsPerAct: perAct(acts.map((c) => c.figures.treatedSites)),
    cyclesPerAct: perAct(acts.map((c) => c.figures.cycles)),
    stages: Object.fromEntries(DURATION_KEYS.map((k) => [k, spread(acts.map((c) => c.figures.durations[k]))])) as RangeFigures['stages'],
    turnover: spread(acts.map((c) => c.turnover)),
    punctuality: { ...spread(delays), onTime, onTimeRate: ratio(onTime, delays.filter((d) => d !== null).length) },
    complications: {
      total: complications.length,
      acts: acts.filter((c) => c.complications.length > 0).length,
      per100: per100(complications.length, acts.length),
      byGrade,
      byKind,
    },
    sedation: { sedated, rate: ratio(sedated, acts.length) },
    pain: painByIndication(acts),
  };
}

/** Minutes from a patient leaving a room to its next release that day, read from the range's releases. */
export function turnoverLookup(readies: readonly RoomReadyMark[], timeZone: string): (leftAt: string, roomId: string) => number | null {
  // A room released on the patient's day counts; a release the next morning means it stood uncleaned.
  const readiesByDay = new Map<string, RoomReadyMark[]>();
  for (const ready of readies) {
    const day = dayOf(ready.at, timeZone);
    const list = readiesByDay.get(day);
    if (list) list.push(ready);
    else readiesByDay.set(day, [ready]);
  }
  return (left, room) => turnoverMinutes(readiesByDay.get(dayOf(left, timeZone)) ?? [], room, left);
}

/** The report from the range's cases, whichever store read them: per period and for the whole range. */
export function rangeReportOf(query: RangeQuery, cases: readonly RangeCase[]): RangeReport {
  const { from, to, groupBy, timeZone } = query;
  const periods = periodsOf(from, to, groupBy);
  const byPeriod = new Map<string, RangeCase[]>(periods.map((p) => [p.key, []]));
  for (const c of cases) byPeriod.get(periodKey(c.day, groupBy))?.push(c);

  return {
    from,
    to,
    groupBy,
    timeZone,
    generatedAt: query.now,
    onTimeMinutes: ON_TIME_MINUTES,
    buckets: periods.map((p) => ({ ...p, figures: rangeFigures(byPeriod.get(p.key) ?? []) })),
    total: rangeFigures(cases),
  };
}

/**
 * The range report on SQLite: a pure function of a read connection and plain arguments, returning
 * plain data, so it runs the same on the event loop or in a worker thread.
 */
export function rangeReport(db: Database.Database, query: RangeQuery): RangeReport {
  const { from, to, timeZone } = query;
  const queries = new ReportQueries(db);
  const window = utcWindow(from, to);
  const turnoverOf = turnoverLookup(queries.roomReadies(window.start, window.end), timeZone);
  // One row at a time: a year's stored states are never all in memory at once, only what the figures read.
  const rows = db.prepare(RANGE_SQL.cases).iterate(from, to) as IterableIterator<{ day: string; state: string }>;
  const cases: RangeCase[] = Array.from(rows, (row) => rangeCase(row.day, JSON.parse(row.state) as CaseState, turnoverOf));
  return rangeReportOf(query, cases);
}
