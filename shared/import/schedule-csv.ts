import type { ScheduleCaseBody } from '../domain/commands';
import type { RoomView } from '../domain/context';
import { SEXES, type Sex } from '../domain/reasons';
import { SIDES, TARGET_NERVES, type Side } from '../domain/targets';
import { wallTimeToIso } from '../domain/time';
import { LANGS, t, type Message, type Param } from '../i18n/labels';
import type { LabelKey } from '../i18n/keys';
import { parseCsv, type CsvLine, type Delimiter } from './csv';

// The columns of a schedule file (docs/integration.md), each with the header names a coordinator
// may give it in English or French; headers are compared without case, accents or spacing.
export const SCHEDULE_COLUMNS = {
  date: ['date', 'day', 'jour'],
  time: ['time', 'heure', 'hour'],
  room: ['room', 'salle'],
  mrn: ['mrn', 'ipp'],
  last_name: ['last_name', 'family_name', 'nom'],
  first_name: ['first_name', 'given_name', 'prenom'],
  birth_date: ['birth_date', 'date_of_birth', 'date_naissance', 'date_de_naissance', 'ddn'],
  sex: ['sex', 'sexe'],
  targets: ['targets', 'cibles'],
  sedation: ['sedation'],
  note: ['note', 'indication'],
  appointment: ['appointment', 'rdv', 'rendez_vous', 'numero_rdv'],
} as const;
export type ScheduleColumn = keyof typeof SCHEDULE_COLUMNS;
export const REQUIRED_COLUMNS: readonly ScheduleColumn[] = ['date', 'time', 'mrn', 'last_name', 'first_name', 'birth_date'];
/** One file is one day or a few: more lines than this is a wrong file, not a schedule. */
export const MAX_IMPORT_ROWS = 300;

const FIELD_OF: Record<ScheduleColumn, LabelKey> = {
  date: 'field.scheduledAt',
  time: 'field.scheduledAt',
  room: 'field.plannedRoomId',
  mrn: 'field.mrn',
  last_name: 'field.lastName',
  first_name: 'field.firstName',
  birth_date: 'field.birthDate',
  sex: 'field.sex',
  targets: 'field.plannedTargets',
  sedation: 'field.plannedSedation',
  note: 'field.indicationNote',
  appointment: 'field.appointment',
};

const bare = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** A label in both languages, as a message parameter: the reader's language picks its side. */
export const fieldParam = (key: LabelKey): Param => Object.fromEntries(LANGS.map((lang) => [lang, t(lang, key)])) as Param;
const columnField = (column: ScheduleColumn) => fieldParam(FIELD_OF[column]);

export interface FileRow {
  line: number;
  /** The booking as schedule_case takes it, when the line could be read; the schedule's own rules judge it next. */
  body?: ScheduleCaseBody;
  /** What the line says, for the preview, even when it cannot be read whole. */
  cells: Partial<Record<ScheduleColumn, string>>;
  problems: Message[];
}

export type ScheduleFile =
  | { ok: true; delimiter: Delimiter; rows: FileRow[] }
  | { ok: false; problem: Message };

function calendarDay(value: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const french = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(value);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : french ? [french[3], french[2], french[1]] : [];
  if (!y || !m || !d) return null;
  const day = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${day}T00:00:00Z`);
  return Number.isFinite(parsed.getTime()) && parsed.toISOString().startsWith(day) ? day : null;
}

function clockTime(value: string): string | null {
  const m = /^(\d{1,2})[:hH.](\d{2})$/.exec(value);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
  return `${m[1]!.padStart(2, '0')}:${m[2]}`;
}

/** Words for a code, in either language, back to the code ("Gauche", "left" → left). */
function codeOf<T extends string>(codes: readonly T[], keyOf: (code: T) => LabelKey, extra: Record<string, T> = {}) {
  const words = new Map<string, T>(Object.entries(extra).map(([w, c]) => [bare(w), c]));
  for (const code of codes) {
    words.set(bare(code), code);
    for (const lang of LANGS) words.set(bare(t(lang, keyOf(code))), code);
  }
  return (value: string): T | undefined => words.get(bare(value));
}

const sideOf = codeOf<Side>(SIDES, (s) => `side.${s}` as LabelKey, { l: 'left', g: 'left', r: 'right', d: 'right', bilateral: 'bilateral' });
const sexOf = codeOf<Sex>(SEXES, (s) => `sex.${s}` as LabelKey, { f: 'female', m: 'male', h: 'male', w: 'female' });
const nerveOf = codeOf<string>(TARGET_NERVES, (n) => `target.${n}` as LabelKey);
const YES = new Set(['yes', 'y', 'oui', 'o', '1', 'true', 'vrai', 'x']);
const NO = new Set(['no', 'n', 'non', '0', 'false', 'faux']);

/** "genicular / superomedial / left | saphenous / right": nerve, optional level, side. */
function targetsOf(value: string, problems: Message[]): ScheduleCaseBody['plannedTargets'] {
  const targets: ScheduleCaseBody['plannedTargets'] = [];
  for (const part of value.split(/[|+]/).map((p) => p.trim()).filter(Boolean)) {
    const bits = part.split('/').map((b) => b.trim());
    const side = bits.length >= 2 ? sideOf(bits[bits.length - 1]!) : undefined;
    if (!side || bits.length > 3 || !bits[0]) {
      problems.push({ key: 'import.bad_target', params: { value: part } });
      continue;
    }
    const level = bits.length === 3 ? bits[1] : '';
    targets.push({ nerve: nerveOf(bits[0]) ?? bits[0], ...(level ? { level } : {}), side });
  }
  return targets;
}

function rowOf(source: CsvLine, columns: Map<ScheduleColumn, number>, rooms: readonly RoomView[], timeZone: string): FileRow {
  const cells: Partial<Record<ScheduleColumn, string>> = {};
  for (const [column, index] of columns) cells[column] = (source.cells[index] ?? '').trim();
  const problems: Message[] = [];
  const required = (column: ScheduleColumn) => {
    const value = cells[column] ?? '';
    if (!value) problems.push({ key: 'import.required', params: { field: columnField(column) } });
    return value;
  };
  const dateText = required('date');
  const timeText = required('time');
  const day = dateText ? calendarDay(dateText) : null;
  if (dateText && !day) problems.push({ key: 'import.bad_date', params: { field: columnField('date'), value: dateText } });
  const time = timeText ? clockTime(timeText) : null;
  if (timeText && !time) problems.push({ key: 'import.bad_time', params: { value: timeText } });
  const birthText = required('birth_date');
  const birthDate = birthText ? calendarDay(birthText) : null;
  if (birthText && !birthDate) problems.push({ key: 'import.bad_date', params: { field: columnField('birth_date'), value: birthText } });
  const mrn = required('mrn');
  const lastName = required('last_name');
  const firstName = required('first_name');
  const sexText = cells.sex ?? '';
  const sex = sexText ? sexOf(sexText) : undefined;
  if (sexText && !sex) problems.push({ key: 'import.bad_sex', params: { value: sexText } });
  const sedationText = bare(cells.sedation ?? '');
  const plannedSedation = sedationText === '' ? undefined : YES.has(sedationText) ? true : NO.has(sedationText) ? false : null;
  if (plannedSedation === null) problems.push({ key: 'import.bad_yes_no', params: { field: columnField('sedation'), value: cells.sedation ?? '' } });
  const targets = targetsOf(cells.targets ?? '', problems);
  const roomText = cells.room ?? '';
  // An unknown room is kept as written: schedule_case's own rule names it.
  const room = roomText ? (rooms.find((r) => bare(r.name) === bare(roomText) || r.id === roomText)?.id ?? roomText) : null;
  const note = cells.note ?? '';
  // The scheduling system's number, when the file gives it: a later HL7 or FHIR message then finds the case.
  const appointment = cells.appointment ?? '';
  if (problems.length > 0 || !day || !time || !birthDate || plannedSedation === null) return { line: source.line, cells, problems };
  const body: ScheduleCaseBody = {
    patient: { firstName, lastName, mrn, birthDate, ...(sex ? { sex } : {}) },
    scheduledAt: wallTimeToIso(day, time, timeZone),
    plannedRoomId: room,
    plannedTargets: targets,
    ...(note ? { indicationNote: note } : {}),
    ...(plannedSedation === undefined ? {} : { plannedSedation }),
    ...(appointment ? { appointment: { filler: appointment } } : {}),
  };
  // A file without targets leaves them for the schedule's own rule to judge, as the API would.
  if (targets.length === 0) delete (body as Partial<ScheduleCaseBody>).plannedTargets;
  return { line: source.line, body, cells, problems };
}

/** Reads a schedule file into bookings, one per line, each with what is wrong with it in words. */
export function readScheduleFile(text: string, rooms: readonly RoomView[], timeZone: string): ScheduleFile {
  const { delimiter, lines } = parseCsv(text);
  const [header, ...records] = lines;
  if (!header || records.length === 0) return { ok: false, problem: { key: 'import.empty' } };
  if (records.length > MAX_IMPORT_ROWS) return { ok: false, problem: { key: 'import.too_many_rows', params: { max: MAX_IMPORT_ROWS } } };
  const columns = new Map<ScheduleColumn, number>();
  header.cells.forEach((name, index) => {
    const found = (Object.keys(SCHEDULE_COLUMNS) as ScheduleColumn[]).find((c) => (SCHEDULE_COLUMNS[c] as readonly string[]).includes(bare(name)));
    if (found && !columns.has(found)) columns.set(found, index);
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0) return { ok: false, problem: { key: 'import.missing_columns', params: { columns: missing.join(', ') } } };
  return { ok: true, delimiter, rows: records.map((r) => rowOf(r, columns, rooms, timeZone)) };
}
