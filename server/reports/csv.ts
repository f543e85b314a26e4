import {
  PAIN_MOMENTS,
  caseDevices,
  caseDoses,
  describeCirseGrade,
  describeTarget,
  doseFraction,
  latestPainScore,
  madeIceBall,
  recordedDoses,
  sameTarget,
  t,
  targetLabel,
  type CaseState,
  type Lang,
  type LabelKey,
} from '../../shared';
import { localDateTime } from './dates';
import { countsInReports, freezeSeconds, milestones, stageDurations, thawSeconds } from './timing';

/**
 * CSV as French Excel opens it by double-click: `;` between cells (Excel in a French locale
 * splits on `;`, since `,` is the decimal mark), a decimal comma in numbers, a UTF-8 byte-order mark
 * so accents survive, CRLF line ends and RFC 4180 quoting. Column names are stable snake_case ids and
 * coded values stay codes (stage, reason, side), so a script can read the file as well as Excel;
 * each coded column has its label in the export's language in a column of its own at the end (named
 * in that language: `stage` holds `discharged`, `étape` holds `Sorti`). Times are the unit's wall
 * clock ("YYYY-MM-DD HH:MM"). docs/fhir-mapping.md § CSV lists the columns.
 */
export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

export type Cell = string | number | boolean | null | undefined;

/**
 * CSV injection (OWASP): a spreadsheet runs a cell as a formula when it starts with = + - @ (or their
 * full-width and small forms, which Excel and LibreOffice also accept), possibly after spaces, tabs or
 * a quote, or when it starts with a tab or CR. A cell starts wherever the reader splits: at the start
 * of our field, but also after any `,` (a file opened with `,` as separator), `;`, tab, or line break
 * inside the text (once a split has broken the quoting, a line break starts a new row). Each such
 * start gets a `'` in front, which makes the cell text whatever the separator. Only text is guarded:
 * numbers the export computes (a temperature of -82) are never user text and stay numbers.
 */
// A start, then what a reader skips before the formula sign: spaces and quotes (a tab or line break is a start of its own).
const FORMULA_START = /(^|[,;\t\r\n])(?=[\t\r]|(?:[^\S\t\r\n]|")*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20\uFE66\uFE62\uFE63\uFE6B])/g;

export function guardText(text: string): string {
  return text.replace(FORMULA_START, "$1'");
}

export function formatNumber(n: number): string {
  return Number.isFinite(n) ? String(n).replace('.', ',') : '';
}

export function formatCell(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return formatNumber(cell);
  if (typeof cell === 'boolean') return cell ? '1' : '0';
  return guardText(cell);
}

/**
 * RFC 4180: a field holding a separator (`;`, and `,` for a reader that splits on it: a decimal
 * comma included), a quote, tab, CR or LF is quoted, inner quotes doubled.
 */
export function quote(field: string): string {
  return /[";,\t\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

const csvLine = (cells: readonly Cell[]) => `${cells.map((c) => quote(formatCell(c))).join(CSV_SEPARATOR)}\r\n`;

/** The file as text pieces, one line each (the byte-order mark rides on the header): an export streams them as they come. */
export function* csvLines(header: readonly string[], rows: Iterable<readonly Cell[]>): Generator<string> {
  yield csvHead(header);
  for (const row of rows) yield csvLine(row);
}

/** The first line of a file: the byte-order mark and the header. */
export const csvHead = (header: readonly string[]): string => CSV_BOM + csvLine(header);

export function toCsv(header: readonly string[], rows: Iterable<readonly Cell[]>): string {
  return [...csvLines(header, rows)].join('');
}

// The label of a code in the export's language; empty for no value, the code itself if unknown.
const labelOf = (lang: Lang, prefix: string, code: string | null | undefined): string => {
  if (!code) return '';
  const label = t(lang, `${prefix}.${code}` as LabelKey);
  return label === `${prefix}.${code}` ? code : label;
};

/** The names of the label columns, per export language, after the code columns they translate. */
export const CASE_LABEL_COLUMNS = {
  fr: ['étape', 'sexe', 'motif d’annulation', 'motif du dernier report', 'complications (libellé)', 'grade CIRSE maximal (signification)'],
  en: ['stage label', 'sex label', 'cancel reason label', 'last reschedule reason label', 'complications label', 'max CIRSE grade meaning'],
} as const satisfies Record<Lang, readonly string[]>;

export const CYCLE_LABEL_COLUMNS = {
  fr: ['cible', 'côté', 'guidage', 'gaz', 'mode de dégel', 'stimulation (résultat)'],
  en: ['target label', 'side label', 'guidance label', 'gas label', 'thaw mode label', 'stimulation label'],
} as const satisfies Record<Lang, readonly string[]>;

export const CASE_COLUMNS = [
  'day',
  'scheduled_at',
  'case_id',
  'mrn',
  'last_name',
  'first_name',
  'birth_date',
  'sex',
  'stage',
  'room_id',
  'planned_targets',
  'sedated',
  'aborted',
  'admitted_at',
  'in_room_at',
  'first_freeze_at',
  'probe_removed_at',
  'observation_at',
  'discharged_at',
  'arrival_to_room_min',
  'room_to_first_freeze_min',
  'procedure_min',
  'observation_min',
  'total_stay_min',
  'cycles',
  'total_freeze_s',
  'lowest_temp_c',
  'complications',
  'max_cirse_grade',
  'cancel_reason',
  'cancel_note',
  'reschedules',
  'last_reschedule_reason',
  ...PAIN_MOMENTS.map((m) => `pain_${m}`),
  // Added after the first release: at the end, so columns read by position keep their place.
  'no_ice_ball_cycles',
  // The planned targets as codes (`nerve:level:side`, joined by ` | `); planned_targets is their text.
  'planned_target_codes',
  'weight_kg',
  'allergens',
  'local_anesthetics',
  'local_anesthetic_mg',
  'local_anesthetic_max_pct',
  'time_out_at',
  'time_out_by',
  'sign_out_at',
  'sign_out_by',
  'off_plan_targets',
  'aldrete',
  // Every device recorded for the case: `kind gtin lot serial expiry`, joined by ` | `.
  'devices',
  // The radiation dose of a CT or cone-beam CT guided act (one per modality, joined by ` | ` when both).
  'dose_modality',
  'dose_equipment',
  'dlp_mgy_cm',
  'ctdivol_mgy',
  'dap_gy_cm2',
  'fluoroscopy_s',
] as const;

// "cryoprobe 07612345000176 lot LOT1 sn S9 exp 2027-12-31": codes and the label's own text, for a recall.
export const deviceText = (d: { kind?: string; gtin?: string; lot?: string; serial?: string; expiry?: string }): string =>
  [d.kind, d.gtin, d.lot && `lot ${d.lot}`, d.serial && `sn ${d.serial}`, d.expiry && `exp ${d.expiry}`].filter(Boolean).join(' ');

// "lidocaine 1 % + epi 5 mL 50 mg", one per injection: codes, so a script can read them.
const doseText = (d: CaseState['localAnesthesia'][number]) =>
  d.mg === undefined
    ? `${d.agent}${typeof d.volumeMl === 'number' ? ` ${formatNumber(d.volumeMl)} mL` : ''}`
    : `${d.agent} ${formatNumber(d.concentrationPercent)} %${d.withEpinephrine ? ' + epi' : ''} ${formatNumber(d.volumeMl)} mL ${formatNumber(d.mg)} mg`;

function doseColumns(s: CaseState): [string, number | null, number | null] {
  const doses = recordedDoses(s);
  const weight = s.checklist.weightKg;
  const mg = doses.reduce((sum, d) => sum + d.mg, 0);
  return [
    s.localAnesthesia.map(doseText).join(' | '),
    doses.length ? Math.round(mg * 10) / 10 : null,
    doses.length && weight != null ? Math.round(doseFraction(doses, weight) * 1000) / 10 : null,
  ];
}

// One cell per figure: a number when the act had one dose of it, the figures joined when it had two.
function doseColumnsOf(s: CaseState): Cell[] {
  const doses = caseDoses(s);
  const cell = (values: (number | undefined)[]): Cell => {
    const present = values.filter((v): v is number => v !== undefined);
    return present.length === 0 ? null : present.length === 1 ? present[0] : present.map(formatNumber).join(' | ');
  };
  return [
    doses.map((d) => d.modality).join(' | '),
    doses.map((d) => d.equipment).join(' | '),
    cell(doses.map((d) => d.dlpMgyCm)),
    cell(doses.map((d) => d.ctdiVolMgy)),
    cell(doses.map((d) => d.dapGyCm2)),
    cell(doses.map((d) => d.fluoroscopySeconds)),
  ];
}

const offPlan = (s: CaseState) => s.offPlanTargets ?? [];

type DayCase = { day: string; state: CaseState };

export function casesCsv(cases: Iterable<DayCase>, timeZone: string, lang: Lang = 'fr'): string {
  return [...casesCsvLines(cases, timeZone, lang)].join('');
}

/** cases.csv line by line, reading one case at a time from `cases`. */
export function casesCsvLines(cases: Iterable<DayCase>, timeZone: string, lang: Lang = 'fr'): Generator<string> {
  return csvLines([...CASE_COLUMNS, ...CASE_LABEL_COLUMNS[lang]], caseRows(cases, timeZone, lang));
}

/** cases.csv in parts, for a store that reads the range page by page: the head once, then each page's lines. */
export const casesCsvHead = (lang: Lang): string => csvHead([...CASE_COLUMNS, ...CASE_LABEL_COLUMNS[lang]]);
export function* casesCsvBody(cases: Iterable<DayCase>, timeZone: string, lang: Lang): Generator<string> {
  for (const row of caseRows(cases, timeZone, lang)) yield csvLine(row);
}

function* caseRows(cases: Iterable<DayCase>, timeZone: string, lang: Lang): Generator<Cell[]> {
  const at = (iso: string | null) => localDateTime(iso, timeZone);
  for (const { day, state: s } of cases) {
    const m = milestones(s);
    const d = stageDurations(m);
    // A freeze that made no ice ball is counted in its own column, not in the cycles or their figures.
    const counted = s.cycles.filter(countsInReports);
    const freezes = counted.map(freezeSeconds).filter((x): x is number => x !== null);
    const temps = counted.map((c) => c.lowestTempC).filter((x): x is number => x !== null);
    yield [
      day,
      at(s.scheduledAt),
      s.id,
      s.patient.mrn,
      s.patient.lastName,
      s.patient.firstName,
      s.patient.birthDate,
      s.patient.sex ?? '',
      s.stage,
      s.procedureRoomId ?? s.plannedRoomId ?? '',
      s.plannedTargets.map((target) => describeTarget(lang, target)).join(' | '),
      s.sedated,
      s.aborted,
      at(m.admittedAt),
      at(m.inRoomAt),
      at(m.firstFreezeAt),
      at(m.probeRemovedAt),
      at(m.observationAt),
      at(m.dischargedAt),
      d.arrivalToRoom,
      d.roomToFirstFreeze,
      d.procedure,
      d.observation,
      d.totalStay,
      counted.length,
      freezes.reduce((a, b) => a + b, 0),
      temps.length ? Math.min(...temps) : null,
      s.complications.map((c) => `${c.kind}:${c.grade}${c.note ? ` (${c.note})` : ''}`).join(' | '),
      s.complications.length ? Math.max(...s.complications.map((c) => c.grade)) : null,
      s.cancellation?.reason ?? '',
      s.cancellation?.note ?? '',
      s.reschedules.length,
      s.reschedules.at(-1)?.reason ?? '',
      ...PAIN_MOMENTS.map((moment) => latestPainScore(s, moment)),
      s.cycles.filter((c) => !madeIceBall(c)).length,
      s.plannedTargets.map((target) => `${target.nerve}:${target.level ?? ''}:${target.side}`).join(' | '),
      s.checklist.weightKg ?? null,
      (s.checklist.allergies?.allergens ?? []).join(' | '),
      ...doseColumns(s),
      at(s.timeOut?.at ?? null),
      s.timeOut?.by.name ?? '',
      at(s.signOut?.at ?? null),
      s.signOut?.by.name ?? '',
      offPlan(s).map((t) => `${describeTarget(lang, t.target)}: ${t.reason}`).join(' | '),
      s.aldrete?.total ?? null,
      caseDevices(s).map(deviceText).join(' | '),
      ...doseColumnsOf(s),
      labelOf(lang, 'stage', s.stage),
      labelOf(lang, 'sex', s.patient.sex),
      labelOf(lang, 'cancel_reason', s.cancellation?.reason),
      labelOf(lang, 'cancel_reason', s.reschedules.at(-1)?.reason),
      s.complications.map((c) => `${labelOf(lang, 'complication', c.kind)}, ${describeCirseGrade(lang, c.grade)}`).join(' | '),
      s.complications.length ? describeCirseGrade(lang, Math.max(...s.complications.map((c) => c.grade))) : '',
    ] satisfies Cell[];
  }
}

export const CYCLE_COLUMNS = [
  'day',
  'case_id',
  'mrn',
  'cycle',
  'nerve',
  'nerve_label',
  'level',
  'side',
  'guidance',
  'probe_type',
  'probe_gauge',
  'gas',
  'freeze_started_at',
  'freeze_ended_at',
  'planned_s',
  'freeze_s',
  'lowest_temp_c',
  'ice_ball_mm',
  'thaw_mode',
  'thaw_ended_at',
  'thaw_s',
  'stimulation',
  'operator',
  // 1: the freeze ended with no ice ball (a mis-tap, a gas failure); on record, counted nowhere.
  'no_ice_ball',
  // 1: the target was not in the plan; the radiologist's reason is in cases.csv off_plan_targets.
  'off_plan',
  // The probe that froze, as its label reads (empty when none was recorded).
  'probe_gtin',
  'probe_lot',
  'probe_serial',
  'probe_expiry',
] as const;

export function cyclesCsv(cases: Iterable<DayCase>, timeZone: string, lang: Lang = 'fr'): string {
  return [...cyclesCsvLines(cases, timeZone, lang)].join('');
}

/** freeze-cycles.csv line by line, reading one case at a time from `cases`. */
export function cyclesCsvLines(cases: Iterable<DayCase>, timeZone: string, lang: Lang = 'fr'): Generator<string> {
  return csvLines([...CYCLE_COLUMNS, ...CYCLE_LABEL_COLUMNS[lang]], cycleRows(cases, timeZone, lang));
}

/** freeze-cycles.csv in parts, as casesCsvHead and casesCsvBody. */
export const cyclesCsvHead = (lang: Lang): string => csvHead([...CYCLE_COLUMNS, ...CYCLE_LABEL_COLUMNS[lang]]);
export function* cyclesCsvBody(cases: Iterable<DayCase>, timeZone: string, lang: Lang): Generator<string> {
  for (const row of cycleRows(cases, timeZone, lang)) yield csvLine(row);
}

function* cycleRows(cases: Iterable<DayCase>, timeZone: string, lang: Lang): Generator<Cell[]> {
  const at = (iso: string | null) => localDateTime(iso, timeZone);
  // A freeze still running has no end, duration or temperature yet: it joins the export once it ends.
  for (const { day, state: s } of cases) {
    for (const c of s.cycles) {
      if (c.freezeEndedAt === null) continue;
      yield [
        day,
        s.id,
        s.patient.mrn,
        c.index,
        c.target.nerve,
        targetLabel(lang, c.target.nerve),
        c.target.level ?? '',
        c.target.side,
        c.guidance,
        c.probe.type,
        c.probe.gauge,
        c.gas,
        at(c.freezeStartedAt),
        at(c.freezeEndedAt),
        c.plannedSeconds,
        freezeSeconds(c),
        c.lowestTempC,
        c.iceBallMm,
        c.thawMode ?? '',
        at(c.thawEndedAt),
        thawSeconds(c),
        c.stimulation ?? '',
        c.operator.name,
        !madeIceBall(c),
        offPlan(s).some((t) => sameTarget(t.target, c.target)),
        c.device?.gtin ?? '',
        c.device?.lot ?? '',
        c.device?.serial ?? '',
        c.device?.expiry ?? '',
        describeTarget(lang, c.target),
        labelOf(lang, 'side', c.target.side),
        labelOf(lang, 'guidance', c.guidance),
        labelOf(lang, 'gas', c.gas),
        labelOf(lang, 'thaw_mode', c.thawMode),
        labelOf(lang, 'stimulation', c.stimulation),
      ] satisfies Cell[];
    }
  }
}
