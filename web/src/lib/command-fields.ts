import {
  CANCEL_REASONS,
  COMPLICATION_KINDS,
  GASES,
  LANGS,
  PAIN_MOMENTS,
  SEDATION_SUGGESTIONS,
  STIMULATION_RESULTS,
  THAW_MODES,
  commandPayloads,
  sedationAllergyOnFile,
  type CaseState,
  type CommandType,
  type LabelKey,
} from '$shared';
import type { Room } from '$lib/api/client';

interface FieldBase {
  name: string;
  label: LabelKey;
  required: boolean;
  /** The name of a toggle that, while on, hides this field and leaves it out of the payload. */
  unless?: string;
}

/** One input of a command form; limits come from the command's schema so the form and the server agree. */
export type FieldSpec = FieldBase &
  (
  | {
      kind: 'text';
      maxLength: number;
      minLength: number;
      pattern?: string;
      /** Offered as typed, the same in every language: they are written into the record. */
      suggestions?: readonly string[];
    }
  | { kind: 'textarea'; maxLength: number; minLength: number; pattern?: string }
  | {
      kind: 'number';
      min: number;
      max: number;
      step?: number;
      hint?: LabelKey;
      /** Always negative (a probe temperature): typed without the sign, which tablet keypads lack. */
      negative?: boolean;
      initial?: number;
    }
  | {
      kind: 'select';
      options: { value: string; label: LabelKey | string; disabled?: boolean }[];
      initial?: string;
      numeric?: boolean;
    }
  | { kind: 'choice'; options: { value: string; label: LabelKey }[]; initial?: string }
  /** A yes/no tick sent as `true` when on, left out when off; its value is 'true' or ''. */
  | { kind: 'toggle' }
  );

export interface SchemaLike {
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  '~optional'?: boolean;
}

/**
 * A field's limits as the command's TypeBox schema states them. TypeBox's static types describe the
 * value, not the keywords, so the one cast from schema to its keywords is here, for every form.
 */
export function limitsOf(schema: unknown): SchemaLike & { minimum: number; maximum: number } {
  const s = schema as SchemaLike;
  // Read one by one, not spread: TypeBox keeps '~optional' as a non-enumerable property.
  return { ...s, minimum: s.minimum ?? 0, maximum: s.maximum ?? 1000, '~optional': s['~optional'] === true };
}

function schemaOf(type: CommandType, name: string): SchemaLike {
  return ((commandPayloads[type] as Record<string, unknown>)[name] ?? {}) as SchemaLike;
}

// TypeBox marks optional properties with a symbol-free '~optional' flag in v1; fall back to "required".
const isRequired = (schema: SchemaLike) => schema['~optional'] !== true;

/** A text input with the schema's limits; exported for the richer forms that add a reason field. */
export function text(type: CommandType, name: string, label: LabelKey, extra: { suggestions?: readonly string[]; area?: boolean } = {}): FieldSpec {
  const s = schemaOf(type, name);
  const base = { name, label, required: isRequired(s), maxLength: s.maxLength ?? 500, minLength: s.minLength ?? 0, pattern: s.pattern };
  return extra.area ? { kind: 'textarea', ...base } : { kind: 'text', ...base, suggestions: extra.suggestions };
}

function number(type: CommandType, name: string, label: LabelKey, extra: Partial<Extract<FieldSpec, { kind: 'number' }>> = {}): FieldSpec {
  const s = schemaOf(type, name);
  return { kind: 'number', name, label, required: isRequired(s), min: s.minimum ?? 0, max: s.maximum ?? 1000, ...extra };
}

function select(type: CommandType, name: string, label: LabelKey, values: readonly string[], prefix: string, initial?: string): FieldSpec {
  return {
    kind: 'select',
    name,
    label,
    required: isRequired(schemaOf(type, name)),
    options: values.map((value) => ({ value, label: `${prefix}.${value}` as LabelKey })),
    initial,
  };
}

const GRADES = [1, 2, 3, 4, 5, 6].map(String);

/**
 * The inputs of the commands that need a few plain fields. Commands with a richer form (checklist,
 * vitals, PADSS, discharge, probe placement) have their own component and return null here; commands
 * without payload return [].
 */
export function simpleFields(type: CommandType, state: CaseState, rooms: Room[]): FieldSpec[] | null {
  switch (type) {
    case 'record_checklist':
    case 'record_vitals':
    case 'record_padss':
    case 'discharge':
    case 'position_probe':
    case 'record_device':
    case 'record_dose':
    case 'reschedule_case':
    case 'plan_targets':
    case 'give_local_anesthesia':
    case 'confirm_time_out':
    case 'confirm_sign_out':
    case 'record_aldrete':
      return null;
    case 'enter_room': {
      const planned = rooms.find((r) => r.id === state.plannedRoomId && r.status === 'free');
      return [
        {
          kind: 'select',
          name: 'roomId',
          label: 'field.roomId',
          required: true,
          options: rooms.map((r) => ({ value: r.id, label: r.name, disabled: r.status !== 'free' })),
          initial: planned?.id ?? rooms.find((r) => r.status === 'free')?.id,
        },
      ];
    }
    // Also on the printable report page, where the radiologist reads the draft before signing it.
    case 'record_report_conclusion':
      return [text(type, 'conclusion', 'field.conclusion', { area: true })];
    case 'sign_report':
      return [
        { kind: 'select', name: 'lang', label: 'field.lang', required: true, options: LANGS.map((l) => ({ value: l, label: l.toUpperCase() })), initial: 'fr' },
        text(type, 'reason', 'field.reason', { area: true }),
      ];
    case 'admit':
      return [text(type, 'patientPhone', 'field.patientPhone')];
    case 'give_sedation':
      return [
        text(type, 'drug', 'field.drug', { suggestions: SEDATION_SUGGESTIONS }),
        text(type, 'dose', 'field.dose'),
        // A drug of a class the patient is allergic to is refused unless a radiologist says why.
        ...(sedationAllergyOnFile(state.checklist.allergies) ? [text(type, 'allergyOverrideReason', 'field.allergyOverrideReason', { area: true })] : []),
      ];
    case 'record_stimulation':
      return [
        {
          kind: 'choice',
          name: 'result',
          label: 'field.result',
          required: true,
          options: STIMULATION_RESULTS.map((v) => ({ value: v, label: `stimulation.${v}` as LabelKey })),
        },
      ];
    case 'start_freeze':
      return [
        select(type, 'gas', 'field.gas', GASES, 'gas', state.cycles[state.cycles.length - 1]?.gas ?? 'n2o'),
        number(type, 'plannedSeconds', 'field.plannedSeconds', { initial: state.cycles[state.cycles.length - 1]?.plannedSeconds ?? 180, step: 10 }),
      ];
    case 'end_freeze':
      // The temperature is required unless the freeze made no ice ball; then neither it nor an
      // ice-ball size is asked (decide() refuses both). The tick comes first so it stays in place
      // when the fields after it go.
      return [
        { kind: 'toggle', name: 'noIceBall', label: 'field.noIceBall', required: false },
        number(type, 'lowestTempC', 'field.lowestTempC', { required: true, min: 0, max: 273, negative: true, hint: 'ui.expected_temperature', unless: 'noIceBall' }),
        number(type, 'iceBallMm', 'field.iceBallMm', { unless: 'noIceBall' }),
        select(type, 'thawMode', 'field.thawMode', THAW_MODES, 'thaw_mode', 'passive'),
      ];
    case 'abort':
    case 'override_discharge_score':
    case 'correct_last':
      return [text(type, 'reason', 'field.reason', { area: true })];
    case 'record_complication':
      return [
        select(type, 'kind', 'field.kind', COMPLICATION_KINDS, 'complication'),
        { kind: 'select', name: 'grade', label: 'field.grade', required: true, numeric: true, options: GRADES.map((g) => ({ value: g, label: `cirse.${g}` as LabelKey })) },
        text(type, 'note', 'field.note', { area: true }),
      ];
    case 'record_pain_score':
      return [number(type, 'score', 'field.score'), select(type, 'moment', 'field.moment', PAIN_MOMENTS, 'pain_moment')];
    case 'cancel':
      return [select(type, 'reason', 'field.reason', CANCEL_REASONS, 'cancel_reason'), text(type, 'note', 'field.note', { area: true })];
    case 'transfer':
      return [text(type, 'destination', 'field.destination'), text(type, 'note', 'field.note', { area: true })];
    default:
      return [];
  }
}

/** The fields to show for the values entered so far: a field whose toggle is on is hidden. */
export const visibleFields = (fields: FieldSpec[], values: Record<string, string>): FieldSpec[] =>
  fields.filter((f) => f.unless === undefined || values[f.unless] !== 'true');

/** The payload a filled form sends: hidden and empty optional fields are left out, numbers parsed, signs applied. */
export function payloadOf(fields: FieldSpec[], values: Record<string, string>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of visibleFields(fields, values)) {
    const raw = (values[field.name] ?? '').trim();
    if (raw === '') continue;
    if (field.kind === 'toggle') {
      if (raw === 'true') payload[field.name] = true;
    } else if (field.kind === 'number') {
      const n = Number(raw.replace(',', '.').replace('−', '-'));
      payload[field.name] = field.negative ? -Math.abs(n) : n;
    } else if (field.kind === 'select' && field.numeric) payload[field.name] = Number(raw);
    else payload[field.name] = raw;
  }
  return payload;
}
