import type Database from 'better-sqlite3';
import type { Lang } from '../../shared';
import { casesCsvLines, cyclesCsvLines } from '../reports/csv';
import { doseReport } from '../reports/doses';
import { ReportQueries } from '../reports/queries';
import { rangeReport, type RangeQuery } from '../reports/range-report';

/** What a job reads: a worker's own read-only connection, and the report reads prepared on it. */
export interface ReadConnection {
  sqlite: Database.Database;
  queries: ReportQueries;
}

export function readConnection(sqlite: Database.Database): ReadConnection {
  return { sqlite, queries: new ReportQueries(sqlite) };
}

/** A job that answers plain data (structured-cloned back to the main thread). */
export interface AnswerJob<A, R> {
  kind: 'answer';
  run: (db: ReadConnection, args: A) => R;
}

/** A job that yields text pieces, sent back in chunks as the main thread asks for them. */
export interface StreamJob<A> {
  kind: 'stream';
  run: (db: ReadConnection, args: A) => Iterable<string>;
}

const answer = <A, R>(run: (db: ReadConnection, args: A) => R): AnswerJob<A, R> => ({ kind: 'answer', run });
const stream = <A>(run: (db: ReadConnection, args: A) => Iterable<string>): StreamJob<A> => ({ kind: 'stream', run });

interface RangeArgs {
  from: string;
  to: string;
}
interface CsvArgs extends RangeArgs {
  timeZone: string;
  lang: Lang;
}

/**
 * Every job the worker pool runs, by name: the heavy reads of a date range, off the event loop.
 * A job is a pure function of a read connection and plain arguments; registering one is one line here.
 */
export const JOBS = {
  rangeReport: answer((db, query: RangeQuery) => rangeReport(db.sqlite, query)),
  doseReport: answer((db, { from, to }: RangeArgs) => doseReport(from, to, db.queries.eachCaseInRange(from, to))),
  casesCsv: stream((db, { from, to, timeZone, lang }: CsvArgs) => casesCsvLines(db.queries.eachCaseInRange(from, to), timeZone, lang)),
  cyclesCsv: stream((db, { from, to, timeZone, lang }: CsvArgs) => cyclesCsvLines(db.queries.eachCaseInRange(from, to), timeZone, lang)),
} satisfies Record<string, AnswerJob<never, unknown> | StreamJob<never>>;

export type Jobs = typeof JOBS;
export type JobName = keyof Jobs;
export type AnswerJobName = { [K in JobName]: Jobs[K] extends AnswerJob<never, unknown> ? K : never }[JobName];
export type StreamJobName = { [K in JobName]: Jobs[K] extends StreamJob<never> ? K : never }[JobName];
export type JobArgs<K extends JobName> = Parameters<Jobs[K]['run']>[1];
export type JobResult<K extends AnswerJobName> = ReturnType<Jobs[K]['run']>;
