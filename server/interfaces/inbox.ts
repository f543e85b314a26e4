import { and, desc, eq, notInArray } from 'drizzle-orm';
import { interfaceMessages, INTERFACE_MESSAGE_STATUSES } from '../../db/schema';
import type { DB } from '../../db/connection';
import type { RuleParams } from '../../shared';
import { applyBooking, type BookingDeps } from './bookings';
import { mapperOf, type Channel, type StoredMessage } from './registry';

export type MessageStatus = (typeof INTERFACE_MESSAGE_STATUSES)[number];

export interface Incoming {
  channel: Channel;
  sender: string;
  messageId: string;
  raw: string;
  charset: string;
  messageType: string;
}

export interface Received {
  id: number;
  /** The same channel, sender and message id were already stored: this is that row. */
  duplicate: boolean;
  status: MessageStatus;
}

export interface Applied {
  id: number;
  status: MessageStatus;
  caseId: string | null;
  rule: string | null;
  params: RuleParams | null;
}

/**
 * Stores a message before anything answers its sender. The write is its own group-commit job, so once
 * this resolves the row is on disk: an acknowledgement sent after it can never name a message a crash
 * lost. A message already stored answers with its row.
 */
export async function receive(deps: BookingDeps, incoming: Incoming): Promise<Received> {
  const { db } = deps.connection;
  const receivedAt = (deps.now?.() ?? new Date()).toISOString();
  return deps.groupCommit.run(async () => {
    const prior = db
      .select({ id: interfaceMessages.id, status: interfaceMessages.status })
      .from(interfaceMessages)
      .where(and(eq(interfaceMessages.channel, incoming.channel), eq(interfaceMessages.sender, incoming.sender), eq(interfaceMessages.messageId, incoming.messageId)))
      .get();
    if (prior) return { id: prior.id, duplicate: true, status: prior.status };
    const row = db
      .insert(interfaceMessages)
      .values({ ...incoming, receivedAt, status: 'received' })
      .returning({ id: interfaceMessages.id })
      .get();
    return { id: row.id, duplicate: false, status: 'received' as const };
  });
}

function outcomeOf(id: number, row: { status: MessageStatus; caseId: string | null; rule: string | null; params: unknown }): Applied {
  return { id, status: row.status, caseId: row.caseId, rule: row.rule, params: (row.params as RuleParams | null) ?? null };
}

async function record(deps: BookingDeps, id: number, outcome: Omit<Applied, 'id'>): Promise<Applied> {
  const appliedAt = (deps.now?.() ?? new Date()).toISOString();
  await deps.groupCommit.run(async () => {
    deps.connection.db.update(interfaceMessages).set({ ...outcome, appliedAt }).where(eq(interfaceMessages.id, id)).run();
  });
  return { id, ...outcome };
}

/**
 * Reads a stored message with its channel's mapper and applies its booking. Used at receipt, at start-up
 * for what a crash left `received`, and to apply a refused message again once its cause is fixed. A
 * message already applied (or found to repeat a booking) is never applied twice: its outcome is returned.
 */
export async function applyStored(deps: BookingDeps, id: number): Promise<Applied | null> {
  const { db } = deps.connection;
  const row = db.select().from(interfaceMessages).where(eq(interfaceMessages.id, id)).get();
  if (!row) return null;
  if (row.status === 'applied' || row.status === 'duplicate') return outcomeOf(id, row);
  const mapper = mapperOf(row.channel);
  const message: StoredMessage = {
    id: row.id,
    channel: row.channel,
    sender: row.sender,
    messageId: row.messageId,
    raw: row.raw,
    charset: row.charset,
    messageType: row.messageType,
  };
  const mapped = mapper ? mapper(message, deps) : { ok: false as const, rule: 'message_type_unsupported' as const, params: { type: row.channel } };
  if (!mapped.ok) return record(deps, id, { status: 'rejected', caseId: null, rule: mapped.rule, params: mapped.params });
  const appliedAt = (deps.now?.() ?? new Date()).toISOString();
  const result = await applyBooking(deps, mapped.booking, mapped.actor, (done) => {
    // The same message on two connections at once: the first to apply it keeps its outcome.
    db.update(interfaceMessages)
      .set({ status: done.duplicate ? 'duplicate' : 'applied', caseId: done.caseId, rule: null, params: null, appliedAt })
      .where(and(eq(interfaceMessages.id, id), notInArray(interfaceMessages.status, ['applied', 'duplicate'])))
      .run();
  });
  if (result.ok) return { id, status: result.duplicate ? 'duplicate' : 'applied', caseId: result.caseId, rule: null, params: null };
  return record(deps, id, { status: 'refused', caseId: null, rule: result.rejection.rule, params: result.rejection.params });
}

/** The start-up's read of what a crash left, an index search (tests/integration/query-plans.test.ts). */
export const INBOX_SQL = {
  pending: "select id from interface_messages where status = 'received' order by id",
} as const;

/** Applies, oldest first, every message a crash left stored and unapplied. Returns how many it applied. */
export async function applyPending(deps: BookingDeps): Promise<number> {
  const pending = deps.connection.sqlite.prepare(INBOX_SQL.pending).pluck().all() as number[];
  for (const id of pending) await applyStored(deps, id);
  return pending.length;
}

export interface MessageSummary {
  id: number;
  channel: Channel;
  sender: string;
  messageId: string;
  receivedAt: string;
  charset: string;
  messageType: string;
  status: MessageStatus;
  rule: string | null;
  params: RuleParams | null;
  caseId: string | null;
  appliedAt: string | null;
}

const SUMMARY = {
  id: interfaceMessages.id,
  channel: interfaceMessages.channel,
  sender: interfaceMessages.sender,
  messageId: interfaceMessages.messageId,
  receivedAt: interfaceMessages.receivedAt,
  charset: interfaceMessages.charset,
  messageType: interfaceMessages.messageType,
  status: interfaceMessages.status,
  rule: interfaceMessages.rule,
  params: interfaceMessages.params,
  caseId: interfaceMessages.caseId,
  appliedAt: interfaceMessages.appliedAt,
};

/**
 * The newest messages first, without their text: the raw message names the patient, so it is read one
 * at a time (storedMessage) by those who may read patient data.
 */
export function recentMessages(db: DB, options: { limit: number; status?: MessageStatus }): MessageSummary[] {
  const query = db.select(SUMMARY).from(interfaceMessages);
  const filtered = options.status ? query.where(eq(interfaceMessages.status, options.status)) : query;
  return filtered
    .orderBy(desc(interfaceMessages.id))
    .limit(Math.max(1, Math.min(options.limit, 500)))
    .all()
    .map((row) => ({ ...row, params: (row.params as RuleParams | null) ?? null }));
}

/** One message with its text, as it was received (decoded). */
export function storedMessage(db: DB, id: number): (MessageSummary & { raw: string }) | null {
  const row = db.select({ ...SUMMARY, raw: interfaceMessages.raw }).from(interfaceMessages).where(eq(interfaceMessages.id, id)).get();
  return row ? { ...row, params: (row.params as RuleParams | null) ?? null } : null;
}
