import type { Actor, RuleName, RuleParams } from '../../shared';
import type { Booking, BookingDeps } from './bookings';

export type Channel = 'mllp' | 'fhir' | 'csv';

/** What the inbox stored of a message, which is all a mapper may read. */
export interface StoredMessage {
  id: number;
  channel: Channel;
  sender: string;
  messageId: string;
  raw: string;
  charset: string;
  messageType: string;
}

/**
 * A stored message read as the booking it carries (or none, when the message cannot be read or is
 * of no supported kind: then the rule says why, and the message is `rejected`).
 */
export type Mapped = { ok: true; booking: Booking; actor: Actor } | { ok: false; rule: RuleName; params: RuleParams };

/** Reads a message with the server's settings (`deps.config`: the MRN authority, the unit's zone…). */
export type Mapper = (message: StoredMessage, deps: BookingDeps) => Mapped;

/** What a channel needs before its first message is read (FHIR's definitions), awaited each time; quick once done. */
export type Preparation = () => Promise<void>;

// Each channel registers how its messages read when its module loads; the inbox applies any channel's
// stored messages the same way (at receipt, after a crash, from the Interfaces screen).
const mappers = new Map<Channel, { map: Mapper; prepare: Preparation | undefined }>();

export function registerMapper(channel: Channel, mapper: Mapper, prepare?: Preparation): void {
  mappers.set(channel, { map: mapper, prepare });
}

/** The channel's mapper, ready to read: its preparation awaited first. */
export async function preparedMapper(channel: Channel): Promise<Mapper | undefined> {
  const entry = mappers.get(channel);
  await entry?.prepare?.();
  return entry?.map;
}
