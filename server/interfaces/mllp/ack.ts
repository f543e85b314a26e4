import { ruleText, type RuleName, type RuleParams } from '../../../shared';
import type { Header } from './message';

export type AckCode = 'AA' | 'AE' | 'AR';

// HL7 table 0357, the error codes an ERR-3 may carry.
const HL7_ERROR: Readonly<Partial<Record<RuleName, string>>> = {
  message_unreadable: '102^Data type error^HL70357',
  message_type_unsupported: '200^Unsupported message type^HL70357',
  message_version_unsupported: '203^Unsupported version id^HL70357',
  booking_field_missing: '101^Required field missing^HL70357',
  booking_field_invalid: '102^Data type error^HL70357',
  appointment_unknown: '204^Unknown key identifier^HL70357',
};
const APPLICATION_ERROR = '207^Application internal error^HL70357';

let sequence = 0;

/** A fresh MSH-10 (at most 20 characters, as HL7 2.5 allows): the time and a counter, unique within the process's life and across restarts. */
function newControlId(now: Date): string {
  sequence = (sequence + 1) % 1_000_000;
  return `CD${now.getTime().toString(36).toUpperCase()}${sequence.toString(36).toUpperCase().padStart(4, '0')}`.slice(0, 20);
}

function hl7Time(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, '').replace(/\.\d+Z$/, '+0000');
}

/** Text made safe for a field with the default delimiters. */
export function escapeText(text: string): string {
  return text
    .replace(/\\/g, '\\E\\')
    .replace(/\|/g, '\\F\\')
    .replace(/\^/g, '\\S\\')
    .replace(/&/g, '\\T\\')
    .replace(/~/g, '\\R\\')
    .replace(/[\r\n]+/g, ' ');
}

export interface AckReason {
  rule: RuleName;
  params: RuleParams;
}

/**
 * The acknowledgement of one message: MSH with sender and receiver swapped and a new MSH-10, MSA-1 the
 * code, MSA-2 the message's own MSH-10, and for a refusal an ERR with the machine's reason (its rule
 * name in ERR-5, its sentence in the unit's language in ERR-8). The reply always uses the default
 * delimiters; the charset it is sent in is the caller's.
 */
export function buildAck(header: Partial<Header> | null, code: AckCode, reason: AckReason | null, options: { lang: 'fr' | 'en'; msh18: string; now?: Date }): string {
  const now = options.now ?? new Date();
  const trigger = header?.type?.split('^')[1] ?? '';
  const version = header?.version && /^2\.\d(\.\d{1,2})?$/.test(header.version) ? header.version : '2.5';
  const msh = [
    'MSH',
    '^~\\&',
    header?.receivingApplication ?? '',
    header?.receivingFacility ?? '',
    header?.sendingApplication ?? '',
    header?.sendingFacility ?? '',
    hl7Time(now),
    '',
    trigger ? `ACK^${trigger}^ACK` : 'ACK',
    newControlId(now),
    'P',
    version,
    ...(options.msh18 ? ['', '', '', '', '', options.msh18] : []),
  ].join('|');
  const text = reason ? escapeText(ruleText(options.lang, reason.rule, reason.params)) : '';
  const msa = ['MSA', code, escapeText(header?.messageId ?? ''), ...(text ? [text] : [])].join('|');
  if (!reason) return [msh, msa].join('\r');
  const err = ['ERR', '', '', HL7_ERROR[reason.rule] ?? APPLICATION_ERROR, 'E', `${reason.rule}^${text}^CRYODAY`, '', '', text].join('|');
  return [msh, msa, err].join('\r');
}
