import type { PgReports } from '../reports/pg-reports';
import type { AnswerJob, JobArgs, JobName, Jobs } from './jobs';

/** A job of JOBS as PostgreSQL runs it: the same name, arguments and answer, read a page at a time. */
export type PgJob<K extends JobName> =
  Jobs[K] extends AnswerJob<never, infer R>
    ? { kind: 'answer'; run: (reports: PgReports, args: JobArgs<K>) => Promise<R> }
    : { kind: 'stream'; run: (reports: PgReports, args: JobArgs<K>) => AsyncIterable<string> };

/**
 * The worker pool's jobs on PostgreSQL, one for each of JOBS (the type fails when one is missing or
 * answers another shape): the pool, the routes and the bytes sent are the same on both stores.
 */
export const PG_JOBS: { [K in JobName]: PgJob<K> } = {
  rangeReport: { kind: 'answer', run: (reports, query) => reports.rangeReport(query) },
  doseReport: { kind: 'answer', run: (reports, { from, to }) => reports.doseReport(from, to) },
  casesCsv: { kind: 'stream', run: (reports, args) => reports.casesCsv(args) },
  cyclesCsv: { kind: 'stream', run: (reports, args) => reports.cyclesCsv(args) },
};
