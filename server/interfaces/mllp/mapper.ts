import type { Hl7Message, Hl7Segment } from '@medplum/core';
import { SYSTEM_ACTORS, readTargets, type Target } from '../../../shared';
import type { Sex } from '../../../shared/domain/reasons';
import type { Booking, BookingKind } from '../bookings';
import { registerMapper, type Mapped, type StoredMessage } from '../registry';
import { isCharset } from './charset';
import { dateOf, instantOf, parseMessage, readHeader, unescapeText } from './message';

export interface Hl7Mapping {
  /** PID-3.4's assigning authority naming the unit's MRN; '' takes the first identifier. */
  mrnAuthority: string;
  /** The unit's zone: appointment times without an offset are its wall clock. */
  timeZone: string;
}

/** The messages CryoDay reads, and what each asks. */
export const MESSAGE_KINDS: Readonly<Record<string, BookingKind>> = {
  'SIU^S12': 'book',
  'SIU^S13': 'reschedule',
  'SIU^S14': 'reschedule',
  'SIU^S15': 'cancel',
  'SIU^S26': 'no_show',
  'ADT^A08': 'demographics',
  'ADT^A31': 'demographics',
};

// v2.3 to v2.8: the segments and fields read here kept their places across them.
const VERSION = /^2\.[3-8](\.\d{1,2})?$/;

const SEX: Readonly<Record<string, Sex>> = { F: 'female', M: 'male', O: 'other', A: 'other', N: 'other' };

function component(segment: Hl7Segment | undefined, fieldIndex: number, componentIndex: number, repetition = 0): string {
  const f = segment?.getField(fieldIndex);
  if (!f || repetition >= f.components.length) return '';
  return f.getComponent(componentIndex, undefined, repetition);
}

const subcomponent = (value: string, message: Hl7Message) => value.split(message.context.subcomponentSeparator)[0] ?? '';

/** The MRN: the PID-3 identifier whose assigning authority (CX.4) is the configured one, else the first. */
export function mrnOf(message: Hl7Message, mrnAuthority: string): string {
  const pid = message.getSegment('PID');
  const ids = pid?.getField(3)?.components ?? [];
  const wanted = mrnAuthority.toUpperCase();
  const all = ids.map((_, rep) => ({ id: component(pid, 3, 1, rep).trim(), authority: subcomponent(component(pid, 3, 4, rep), message).trim().toUpperCase() }));
  const chosen = (wanted ? all.find((x) => x.id && x.authority === wanted) : undefined) ?? all.find((x) => x.id);
  return chosen ? unescapeText(chosen.id, message) : '';
}

function patientOf(message: Hl7Message, mapping: Hl7Mapping): Booking['patient'] {
  const pid = message.getSegment('PID');
  const text = (v: string) => unescapeText(v, message).trim();
  const familyName = text(subcomponent(component(pid, 5, 1), message));
  const givenName = text(component(pid, 5, 2));
  const birthRaw = component(pid, 7, 1).trim();
  const sex = SEX[component(pid, 8, 1).trim().toUpperCase()];
  return {
    mrn: mrnOf(message, mapping.mrnAuthority),
    ...(familyName ? { familyName } : {}),
    ...(givenName ? { givenName } : {}),
    // An unreadable birth date is passed on as written, for the booking to name the field.
    ...(birthRaw ? { birthDate: dateOf(birthRaw) ?? birthRaw } : {}),
    ...(sex ? { sex } : {}),
  };
}

/** The planned targets: AIS-3's text, else a note (NTE) that reads as targets; none when neither does. */
function targetsOf(message: Hl7Message): Target[] | undefined {
  const texts = [
    ...message.getAllSegments('AIS').map((ais) => component(ais, 3, 2) || component(ais, 3, 1)),
    ...message.getAllSegments('NTE').map((nte) => (nte.getField(3)?.components ?? []).map((r) => r.join(' ')).join('\n')),
  ];
  for (const raw of texts) {
    const text = unescapeText(raw, message).replace(/^\s*(cibles?|targets?)\s*:\s*/i, '');
    const targets = text.trim() ? readTargets(text) : null;
    if (targets) return targets;
  }
  return undefined;
}

const firstOf = (values: string[]) => values.map((v) => v.trim()).find((v) => v !== '') ?? '';

/** Reads one stored HL7 message as the booking it carries. */
export function mapHl7(stored: StoredMessage, mapping: Hl7Mapping): Mapped {
  // The listener stores the set it decoded with, or MSH-18 as sent when it names none it reads.
  if (!isCharset(stored.charset)) {
    return { ok: false, rule: 'message_unreadable', params: { detail: `MSH-18 ${stored.charset}` } };
  }
  const message = parseMessage(stored.raw);
  const header = message ? readHeader(message) : null;
  if (!message || !header) return { ok: false, rule: 'message_unreadable', params: { detail: 'MSH' } };
  const kind = MESSAGE_KINDS[header.type];
  if (!kind) return { ok: false, rule: 'message_type_unsupported', params: { type: header.type || '?' } };
  if (!VERSION.test(header.version)) return { ok: false, rule: 'message_version_unsupported', params: { version: header.version || '?' } };
  if (!message.getSegment('PID')) return { ok: false, rule: 'booking_field_missing', params: { field: 'PID' } };
  const patient = patientOf(message, mapping);
  if (kind === 'demographics') return { ok: true, booking: { kind, appointment: {}, patient }, actor: SYSTEM_ACTORS.hl7 };

  const sch = message.getSegment('SCH');
  if (!sch) return { ok: false, rule: 'booking_field_missing', params: { field: 'SCH' } };
  const text = (v: string) => unescapeText(v, message).trim();
  const placer = text(component(sch, 1, 1));
  const filler = text(component(sch, 2, 1));
  const startRaw = firstOf([component(sch, 11, 4), ...message.getAllSegments('AIS').map((ais) => component(ais, 4, 1))]);
  const start = startRaw ? instantOf(startRaw, mapping.timeZone) : null;
  if (startRaw && !start) return { ok: false, rule: 'booking_field_invalid', params: { field: 'SCH-11' } };
  const roomName = text(firstOf(message.getAllSegments('AIL').map((ail) => component(ail, 3, 2) || component(ail, 3, 1))));
  const reason = text(component(sch, 6, 2) || component(sch, 6, 1));
  const indication = text(component(sch, 7, 2) || component(sch, 7, 1));
  const targets = targetsOf(message);
  const booking: Booking = {
    kind,
    appointment: { ...(placer ? { placer } : {}), ...(filler ? { filler } : {}) },
    patient,
    ...(start ? { start } : {}),
    ...(roomName ? { roomName } : {}),
    ...(targets ? { targets } : {}),
    ...(reason ? { reason } : {}),
    ...(indication ? { indicationNote: indication.slice(0, 500) } : {}),
  };
  return { ok: true, booking, actor: SYSTEM_ACTORS.hl7 };
}

/** Makes the inbox read stored MLLP messages as HL7 v2. */
export function registerHl7Mapper(): void {
  registerMapper('mllp', (message, deps) => mapHl7(message, { mrnAuthority: deps.config.hl7.mrnAuthority, timeZone: deps.config.timezone }));
}
