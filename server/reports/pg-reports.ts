import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type pg from 'pg';
import type { CaseState, DoseReport, Lang, RangeReport } from '../../shared';
import type { StoreReads } from '../../db/store';
import { Problem } from '../http/problem';
import { RETRY_AFTER_SECONDS } from '../workers/pool';
import { casesCsvBody, casesCsvHead, cyclesCsvBody, cyclesCsvHead } from './csv';
import { utcWindow } from './dates';
import { doseActsOf, doseReportOf, type DoseAct } from './doses';
import { rangeCase, rangeReportOf, turnoverLookup, type RangeCase, type RangeQuery } from './range-report';

type DayCase = { day: string; state: CaseState };

/** Cases per page: a page's states (a few kB each) are parsed and turned into figures or CSV lines in one turn of the event loop. */
export const CASE_PAGE_SIZE = 25;

// The order SQLite reads them in (day, booked time, id), compared byte for byte as SQLite compares text,
// so both stores list the same cases in the same order whatever the database's collation. Every bound is
// in that collation, so a page is a range scan of cases_range_order_idx (migration 0004), never a sort.
// The page's keys are found first and its states read after: whatever plan the database picks for the
// keys, the state (and the slimming, which rewrites each jsonb) is computed for the page's rows alone.
const ORDER = `day collate "C", scheduled_at collate "C", id collate "C"`;
/** A page of the range after the keys given; `state` reads the row `c`. */
export const CASE_PAGE_SQL = (state: string) => `select c.day, c.scheduled_at, c.id, ${state} as state
  from (select id from cases
        where day collate "C" >= $1 and day collate "C" <= $2 and (${ORDER}) > ($3, $4, $5)
        order by ${ORDER} limit $6) page
  join cases c on c.id = page.id
  order by c.day collate "C", c.scheduled_at collate "C", c.id collate "C"`;
// The range figures read neither the copy kept for undo nor the report texts, devices or doses:
// the database drops them before the rows cross the wire, as SQLite's json_remove does.
export const SLIM_STATE = `c.state - 'undo' - 'report' - 'devices' - 'doses'`;
export const FULL_STATE = 'c.state';

const busy = () => new Problem(503, 'server_busy', { key: 'problem.reports_busy' }, { retryAfterSeconds: RETRY_AFTER_SECONDS });

export interface PgReportsOptions {
  /** Heavy reads running at once; one more is refused with 503 server_busy, as the worker pool's queue does. */
  maxRunning: number;
  pageSize?: number;
}

/**
 * The range reads (range and dose reports, cases.csv, freeze-cycles.csv) on PostgreSQL. The database does
 * the reading, so no worker thread is needed for it: the range is read in keyset pages of CASE_PAGE_SIZE
 * cases, each its own short query, so a year in memory is one page of states (plus, for a report, the
 * few figures kept per case), and no connection is held while a slow client reads a CSV. Each page's
 * parsing and formatting is a few milliseconds on the event loop, then it is given back to commands and
 * boards before the next page (docs/architecture.md, "Heavy reads on PostgreSQL").
 */
export class PgReports {
  readonly #pool: pg.Pool;
  readonly #store: Pick<StoreReads, 'roomReadies'>;
  readonly #options: Required<PgReportsOptions>;
  #running = 0;

  constructor(pool: pg.Pool, store: Pick<StoreReads, 'roomReadies'>, options: PgReportsOptions) {
    this.#pool = pool;
    this.#store = store;
    this.#options = { pageSize: CASE_PAGE_SIZE, ...options };
  }

  /** Heavy reads running now. */
  get running(): number {
    return this.#running;
  }

  /**
   * The cases of the range, a page at a time, in SQLite's order. Pages are not one snapshot: a case
   * rebooked to another time while a year is read can move past the page being read (a report of
   * past months, the usual one, reads cases that no longer change).
   */
  async *casePages(from: string, to: string, slim = false): AsyncGenerator<DayCase[]> {
    let after: [string, string, string] = ['', '', ''];
    for (;;) {
      const { rows } = await this.#pool.query<{ day: string; scheduled_at: string; id: string; state: CaseState }>(
        CASE_PAGE_SQL(slim ? SLIM_STATE : FULL_STATE),
        [from, to, ...after, this.#options.pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => ({ day: r.day, state: r.state }));
      if (rows.length < this.#options.pageSize) return;
      const last = rows.at(-1)!;
      after = [last.day, last.scheduled_at, last.id];
      await nextTurn();
    }
  }

  async rangeReport(query: RangeQuery): Promise<RangeReport> {
    return this.#counted(async () => {
      const window = utcWindow(query.from, query.to);
      const turnoverOf = turnoverLookup(await this.#store.roomReadies(window.start, window.end), query.timeZone);
      const cases: RangeCase[] = [];
      for await (const page of this.casePages(query.from, query.to, true)) {
        for (const { day, state } of page) cases.push(rangeCase(day, state, turnoverOf));
      }
      return rangeReportOf(query, cases);
    });
  }

  async doseReport(from: string, to: string): Promise<DoseReport> {
    return this.#counted(async () => {
      const acts: DoseAct[] = [];
      for await (const page of this.casePages(from, to)) for (const { day, state } of page) acts.push(...doseActsOf(day, state));
      return doseReportOf(from, to, acts);
    });
  }

  casesCsv(args: { from: string; to: string; timeZone: string; lang: Lang }): Promise<Readable> {
    return this.#csv(args, casesCsvHead(args.lang), (page) => casesCsvBody(page, args.timeZone, args.lang));
  }

  cyclesCsv(args: { from: string; to: string; timeZone: string; lang: Lang }): Promise<Readable> {
    return this.#csv(args, cyclesCsvHead(args.lang), (page) => cyclesCsvBody(page, args.timeZone, args.lang));
  }

  async #counted<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#options.maxRunning) throw busy();
    this.#running += 1;
    try {
      return await work();
    } finally {
      this.#running -= 1;
    }
  }

  /**
   * One chunk of text per page, the next page read only when the client has taken the last one. The first
   * page is read before the stream is handed out, so a database that fails then still answers a problem.
   */
  async #csv(range: { from: string; to: string }, head: string, body: (page: DayCase[]) => Iterable<string>): Promise<Readable> {
    if (this.#running >= this.#options.maxRunning) throw busy();
    this.#running += 1;
    let released = false;
    const release = () => {
      if (!released) this.#running -= 1;
      released = true;
    };
    try {
      const pages = this.casePages(range.from, range.to);
      const first = await pages.next();
      async function* chunks() {
        try {
          yield head + (first.done ? '' : [...body(first.value)].join(''));
          for await (const page of pages) {
            const text = [...body(page)].join('');
            if (text) yield text;
          }
        } finally {
          release();
          await pages.return(undefined);
        }
      }
      const stream = Readable.from(chunks(), { objectMode: false });
      // A client that goes away ends the generator (and frees the count) without an unhandled error.
      stream.on('error', () => {});
      stream.on('close', release);
      return stream;
    } catch (error) {
      release();
      throw error;
    }
  }
}
