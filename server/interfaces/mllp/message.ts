import { Hl7Message, type Hl7Segment } from '@medplum/core';
import { instantOfWallClock } from '../../../shared';

/** What the MSH says about a message: who sent it, its id, its kind and version, its character set. */
export interface Header {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  /** MSH-3^MSH-4 (their first components): the inbox's sender, with MSH-10 the key of a duplicate. */
  sender: string;
  messageId: string;
  /** MSH-9.1^MSH-9.2, e.g. SIU^S12. */
  type: string;
  version: string;
  msh18: string;
}

export function parseMessage(text: string): Hl7Message | null {
  if (!text.startsWith('MSH') || text.length < 8) return null;
  try {
    return Hl7Message.parse(text.replace(/^[\r\n]+|[\r\n]+$/g, ''));
  } catch {
    return null;
  }
}

const field = (segment: Hl7Segment | undefined, index: number): string => segment?.getField(index)?.toString() ?? '';

export function readHeader(message: Hl7Message): Header | null {
  const msh = message.getSegment('MSH');
  if (!msh) return null;
  const sendingApplication = field(msh, 3);
  const sendingFacility = field(msh, 4);
  const first = (s: string) => s.split(message.context.componentSeparator)[0] ?? '';
  return {
    sendingApplication,
    sendingFacility,
    receivingApplication: field(msh, 5),
    receivingFacility: field(msh, 6),
    sender: `${first(sendingApplication)}^${first(sendingFacility)}`,
    messageId: field(msh, 10),
    type: [msh.getComponent(9, 1), msh.getComponent(9, 2)].filter(Boolean).join('^'),
    version: msh.getComponent(12, 1),
    msh18: field(msh, 18),
  };
}

/**
 * A text value with HL7's escapes read back (\F\ |, \S\ ^, \T\ &, \R\ ~, \E\ \, \.br\ a new line);
 * the other escapes (highlighting, hexadecimal) are dropped rather than shown as codes.
 */
export function unescapeText(value: string, message: Hl7Message): string {
  const c = message.context;
  const esc = c.escapeCharacter;
  if (!value.includes(esc)) return value;
  const quoted = esc.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`${quoted}([^${quoted}]*)${quoted}`, 'g');
  return value.replace(pattern, (_m, code: string) => {
    switch (code) {
      case 'F':
        return c.fieldSeparator;
      case 'S':
        return c.componentSeparator;
      case 'T':
        return c.subcomponentSeparator;
      case 'R':
        return c.repetitionSeparator;
      case 'E':
        return esc;
      case '.br':
        return '\n';
      default:
        return '';
    }
  });
}

const TS = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:\.\d{1,4})?([+-]\d{4})?$/;

/**
 * An HL7 time stamp (YYYYMMDDHHMM[SS][.S][+/-ZZZZ]) as an ISO instant. Without an offset it is the
 * unit's wall clock, as scheduling systems write appointment times. Null when it is not a time of day
 * that exists.
 */
export function instantOf(ts: string, timeZone: string): string | null {
  const m = TS.exec(ts.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, offset] = m;
  const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const check = new Date(wall);
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) return null;
  if (offset) {
    const sign = offset.startsWith('-') ? -1 : 1;
    const minutes = Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5));
    return new Date(wall - sign * minutes * 60_000).toISOString();
  }
  return new Date(instantOfWallClock(wall, timeZone)).toISOString();
}

/** An HL7 date (YYYYMMDD, maybe followed by a time) as YYYY-MM-DD, or null when it is no calendar day. */
export function dateOf(value: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(value.trim());
  if (!m) return null;
  const iso = `${m[1]}-${m[2]}-${m[3]}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isFinite(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}
