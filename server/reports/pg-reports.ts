import type pg from 'pg';
import type { CaseState, DoseReport, Lang, RangeReport } from '../../shared';
import type { StoreReads } from '../../db/store';
import { casesCsvBody, casesCsvHead, cyclesCsvBody, cyclesCsvHead } from './csv';
import { utcWindow } from './dates';
import { doseActsOf, doseReportOf, type DoseAct } from './doses';
import { rangeCase, rangeReportOf, turnoverLookup, type RangeCase, type RangeQuery } from './range-report';

type DayCase = { day: string; state: CaseState };
type CsvArgs = { from: string; to: string; timeZone: string; lang: Lang };

/**
 * Cases per page: a page's states (a few kB each) are parsed and turned into figures or CSV lines at a time,
 * in the report worker. 100 rather than 25: a year's cases.csv took 5.3 s instead of 2.5 s in pages of 25
 * (each page a round trip to the database and to the main thread), and the boards fared no better.
 */
export const CASE_PAGE_SIZE = 100;

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

export interface PgReportsOptions {
  pageSize?: number;
}

/**
 * The range reads (range and dose reports, cases.csv, freeze-cycles.csv) on PostgreSQL, run by a report
 * worker with a pool of its own (server/workers/pg-jobs.ts), as SQLite's run by a worker with its own
 * connection. The range is read in keyset pages of CASE_PAGE_SIZE cases, each its own short query, so a
 * year in memory is one page of states (plus, for a report, the few figures kept per case), and no
 * connection is held while a slow client reads a CSV (docs/architecture.md, "Heavy reads on PostgreSQL").
 */
export class PgReports {
  readonly #pool: pg.Pool;
  readonly #store: Pick<StoreReads, 'roomReadies'>;
  readonly #pageSize: number;

  constructor(pool: pg.Pool, store: Pick<StoreReads, 'roomReadies'>, options: PgReportsOptions = {}) {
    this.#pool = pool;
    this.#store = store;
    this.#pageSize = options.pageSize ?? CASE_PAGE_SIZE;
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
        [from, to, ...after, this.#pageSize],
      );
      if (rows.length === 0) return;
      yield rows.map((r) => ({ day: r.day, state: r.state }));
      if (rows.length < this.#pageSize) return;
      const last = rows.at(-1)!;
      after = [last.day, last.scheduled_at, last.id];
    }
  }

  async rangeReport(query: RangeQuery): Promise<RangeReport> {
    const window = utcWindow(query.from, query.to);
    const turnoverOf = turnoverLookup(await this.#store.roomReadies(window.start, window.end), query.timeZone);
    const cases: RangeCase[] = [];
    for await (const page of this.casePages(query.from, query.to, true)) {
      for (const { day, state } of page) cases.push(rangeCase(day, state, turnoverOf));
    }
    return rangeReportOf(query, cases);
  }

  async doseReport(from: string, to: string): Promise<DoseReport> {
    const acts: DoseAct[] = [];
    for await (const page of this.casePages(from, to)) for (const { day, state } of page) acts.push(...doseActsOf(day, state));
    return doseReportOf(from, to, acts);
  }

  /** The CSV's text, one piece per page: the next page is read only when the last piece has been taken. */
  casesCsv(args: CsvArgs): AsyncGenerator<string> {
    return this.#csv(args, casesCsvHead(args.lang), (page) => casesCsvBody(page, args.timeZone, args.lang));
  }

  cyclesCsv(args: CsvArgs): AsyncGenerator<string> {
    return this.#csv(args, cyclesCsvHead(args.lang), (page) => cyclesCsvBody(page, args.timeZone, args.lang));
  }

  async *#csv(range: { from: string; to: string }, head: string, body: (page: DayCase[]) => Iterable<string>): AsyncGenerator<string> {
    yield head;
    for await (const page of this.casePages(range.from, range.to)) {
      const text = [...body(page)].join('');
      if (text) yield text;
    }
  }
}
