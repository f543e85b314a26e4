import type Database from 'better-sqlite3';
import type { CaseState } from '../../shared';
import type { RoomReadyMark } from './day-report';
import { DISCHARGED_IN_RANGE_SQL, ROOM_READIES_SQL } from '../../db/sqlite-store';

/**
 * The reads reports need beyond the event store's own: date ranges and room releases. Each one searches an
 * index, so a report costs what its days hold, not what the history holds (tests/integration/query-plans.test.ts).
 */
export const REPORT_SQL = {
  casesInRange: 'select day, state from cases where day >= ? and day <= ? order by day, scheduled_at, id',
  dischargedInRange: DISCHARGED_IN_RANGE_SQL,
  roomReadies: ROOM_READIES_SQL,
} as const;

/** The few reads reports need beyond the event store's own: date ranges and room releases. */
export class ReportQueries {
  readonly #casesInRange;
  readonly #dischargedInRange;
  readonly #roomReadies;

  constructor(sqlite: Database.Database) {
    this.#casesInRange = sqlite.prepare(REPORT_SQL.casesInRange);
    this.#dischargedInRange = sqlite.prepare(REPORT_SQL.dischargedInRange).pluck();
    this.#roomReadies = sqlite.prepare(REPORT_SQL.roomReadies);
  }

  casesInRange(from: string, to: string): { day: string; state: CaseState }[] {
    return [...this.eachCaseInRange(from, to)];
  }

  /**
   * The same cases one at a time, parsed as they are read, so an export holds one case in memory rather
   * than a year of them. The connection is busy until the walk ends: a read-only worker's connection only.
   */
  *eachCaseInRange(from: string, to: string): Generator<{ day: string; state: CaseState }> {
    for (const r of this.#casesInRange.iterate(from, to) as IterableIterator<{ day: string; state: string }>) {
      yield { day: r.day, state: JSON.parse(r.state) as CaseState };
    }
  }

  dischargedInRange(from: string, to: string): CaseState[] {
    return (this.#dischargedInRange.all(from, to) as string[]).map((s) => JSON.parse(s) as CaseState);
  }

  roomReadies(start: string, end: string): RoomReadyMark[] {
    return this.#roomReadies.all(start, end) as RoomReadyMark[];
  }
}
