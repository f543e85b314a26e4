import type Database from 'better-sqlite3';
import type pg from 'pg';
import { normaliseGtin, t, type DeviceKind, type Lang, type RecallHit, type Stage } from '../../shared';
import { toCsv } from '../reports/csv';
import { localDateTime } from '../reports/dates';

export interface RecallSearch {
  lot?: string;
  gtin?: string;
}

interface HitRow {
  caseId: string;
  day: string;
  scheduledAt: string;
  stage: Stage;
  at: string;
  kind: DeviceKind;
  gtin: string | null;
  lot: string | null;
  serial: string | null;
  expiry: string | null;
  firstName: string;
  lastName: string;
  mrn: string;
  birthDate: string;
}

// Quoted aliases and no placeholder: the same text for SQLite and PostgreSQL.
const SELECT = `select d.case_id as "caseId", c.day, c.scheduled_at as "scheduledAt", c.stage, d.at, d.kind, d.gtin, d.lot, d.serial, d.expiry,
  p.first_name as "firstName", p.last_name as "lastName", p.mrn, p.birth_date as "birthDate"
  from case_devices d join cases c on c.id = d.case_id join patients p on p.id = c.patient_id`;
const ORDER = 'order by d.at, d.case_id, d.position';

/** A search on either store, on the case_devices index (lot, or GTIN then lot): a year of cases is never read to answer it. */
export interface RecallSearcher {
  search(search: RecallSearch): Promise<RecallHit[]>;
}

/** What a search looks for: a GTIN typed from an 8/12/13-digit barcode matches its 14-digit form. */
function termsOf({ lot, gtin }: RecallSearch) {
  return { g: gtin ? (normaliseGtin(gtin) ?? gtin.trim()) : undefined, l: lot?.trim() || undefined };
}

const hitsOf = (rows: HitRow[]): RecallHit[] =>
  rows.map(({ firstName, lastName, mrn, birthDate, ...hit }) => ({ ...hit, patient: { firstName, lastName, mrn, birthDate } }));

export class RecallQueries implements RecallSearcher {
  readonly #byLot;
  readonly #byGtin;
  readonly #byBoth;

  constructor(sqlite: Database.Database) {
    this.#byLot = sqlite.prepare(`${SELECT} where d.lot = ? ${ORDER}`);
    this.#byGtin = sqlite.prepare(`${SELECT} where d.gtin = ? ${ORDER}`);
    this.#byBoth = sqlite.prepare(`${SELECT} where d.gtin = ? and d.lot = ? ${ORDER}`);
  }

  async search(search: RecallSearch): Promise<RecallHit[]> {
    const { g, l } = termsOf(search);
    return hitsOf((g && l ? this.#byBoth.all(g, l) : g ? this.#byGtin.all(g) : this.#byLot.all(l)) as HitRow[]);
  }
}

export class PgRecallQueries implements RecallSearcher {
  constructor(private readonly pool: pg.Pool) {}

  async search(search: RecallSearch): Promise<RecallHit[]> {
    const { g, l } = termsOf(search);
    const [where, values] = g && l ? ['d.gtin = $1 and d.lot = $2', [g, l]] : g ? ['d.gtin = $1', [g]] : ['d.lot = $1', [l]];
    return hitsOf((await this.pool.query<HitRow>(`${SELECT} where ${where} ${ORDER}`, values)).rows);
  }
}

export const RECALL_COLUMNS = ['device_at', 'day', 'case_id', 'mrn', 'last_name', 'first_name', 'birth_date', 'stage', 'kind', 'gtin', 'lot', 'serial', 'expiry'] as const;

/** The hits as the unit's CSV (same writer, same formula guard, same wall clock as the other exports). */
export function recallCsv(hits: readonly RecallHit[], timeZone: string, lang: Lang): string {
  const rows = hits.map((h) => [
    localDateTime(h.at, timeZone),
    h.day,
    h.caseId,
    h.patient.mrn,
    h.patient.lastName,
    h.patient.firstName,
    h.patient.birthDate,
    h.stage,
    t(lang, `device_kind.${h.kind}`),
    h.gtin,
    h.lot,
    h.serial,
    h.expiry,
  ]);
  return toCsv(RECALL_COLUMNS, rows);
}
