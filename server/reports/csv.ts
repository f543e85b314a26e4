import { PAIN_MOMENTS, doseFraction, madeIceBall, recordedDoses, sameTarget, targetLabel, type CaseState, type PainMoment } from '../../shared';
import { localDateTime } from './dates';
import { freezeSeconds, milestones, stageDurations, thawSeconds } from './timing';

/**
 * CSV as French Excel opens it by double-click: `;` between cells (Excel in a French locale
 * splits on `;`, since `,` is the decimal mark), a decimal comma in numbers, a UTF-8 byte-order mark
 * so accents survive, CRLF line ends and RFC 4180 quoting. Column names are stable snake_case ids and
 * coded values stay codes (stage, reason, side), so a script can read the file as well as Excel;
 * times are the unit's wall clock ("YYYY-MM-DD HH:MM"). docs/fhir-mapping.md § CSV lists the columns.
 */
export const CSV_SEPARATOR = ';';
export const CSV_BOM = '\uFEFF';
export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8; header=present';

export type Cell = string | number | boolean | null | undefined;

// A spreadsheet runs a cell starting with one of these as a formula (CSV injection): text cells that
// start with one are prefixed with a quote. Numbers the export computes are never user text, so a
// temperature of -82 stays a number.
const FORMULA_START = /^[=+\-@\t\r]/;

export function guardText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
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

/** RFC 4180: a field holding the separator, a quote, CR or LF is quoted, inner quotes doubled. */
export function quote(field: string): string {
  return /[";\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const line = (cells: readonly Cell[]) => cells.map((c) => quote(formatCell(c))).join(CSV_SEPARATOR);
  return CSV_BOM + [header.map((h) => quote(h)).join(CSV_SEPARATOR), ...rows.map(line)].map((l) => `${l}\r\n`).join('');
}

const painAt = (state: CaseState, moment: PainMoment): number | null =>
  state.painScores.filter((p) => p.moment === moment).at(-1)?.score ?? null;

const targetText = (t: { nerve: string; level?: string; side: string }) =>
  `${targetLabel('fr', t.nerve)}${t.level ? ` ${t.level}` : ''} (${t.side})`;

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
] as const;

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

const offPlan = (s: CaseState) => s.offPlanTargets ?? [];

export function casesCsv(cases: readonly { day: string; state: CaseState }[], timeZone: string): string {
  const at = (iso: string | null) => localDateTime(iso, timeZone);
  const rows = cases.map(({ day, state: s }) => {
    const m = milestones(s);
    const d = stageDurations(m);
    // A freeze that made no ice ball is counted in its own column, not in the cycles or their figures.
    const counted = s.cycles.filter(madeIceBall);
    const freezes = counted.map(freezeSeconds).filter((x): x is number => x !== null);
    const temps = counted.map((c) => c.lowestTempC).filter((x): x is number => x !== null);
    return [
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
      s.plannedTargets.map(targetText).join(' | '),
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
      ...PAIN_MOMENTS.map((moment) => painAt(s, moment)),
      s.cycles.length - counted.length,
      s.checklist.weightKg ?? null,
      (s.checklist.allergies?.allergens ?? []).join(' | '),
      ...doseColumns(s),
      at(s.timeOut?.at ?? null),
      s.timeOut?.by.name ?? '',
      at(s.signOut?.at ?? null),
      s.signOut?.by.name ?? '',
      offPlan(s).map((t) => `${targetText(t.target)}: ${t.reason}`).join(' | '),
      s.aldrete?.total ?? null,
    ] satisfies Cell[];
  });
  return toCsv(CASE_COLUMNS, rows);
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
] as const;

export function cyclesCsv(cases: readonly { day: string; state: CaseState }[], timeZone: string): string {
  const at = (iso: string | null) => localDateTime(iso, timeZone);
  const rows = cases.flatMap(({ day, state: s }) =>
    s.cycles.map(
      (c) =>
        [
          day,
          s.id,
          s.patient.mrn,
          c.index,
          c.target.nerve,
          targetLabel('fr', c.target.nerve),
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
        ] satisfies Cell[],
    ),
  );
  return toCsv(CYCLE_COLUMNS, rows);
}
