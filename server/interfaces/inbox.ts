import { desc, eq } from 'drizzle-orm';
import type { DB } from '../../db/connection';
import { interfaceMessages } from '../../db/schema';
import type { InboxOutcome, InboxRow, InboxStatus, InboxSummary } from '../../db/store';
import type { RuleParams } from '../../shared';
import { bookingWork, executeContext, rejectionOf, type BookingDeps } from './bookings';
import { preparedMapper, type Channel, type StoredMessage } from './registry';

export { INBOX_SQL } from '../../db/sqlite-store';

export type MessageStatus = InboxStatus;

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
 * lost. A message already stored (here or by another instance) answers with its row.
 */
export async function receive(deps: BookingDeps, incoming: Incoming): Promise<Received> {
  const receivedAt = (deps.now?.() ?? new Date()).toISOString();
  return deps.groupCommit.run((tx) => tx.receiveMessage(incoming, receivedAt));
}

const settled = (status: MessageStatus) => status === 'applied' || status === 'duplicate';

const outcomeOf = (row: InboxRow): Applied => ({ id: row.id, status: row.status, caseId: row.caseId, rule: row.rule, params: row.params });

async function record(deps: BookingDeps, id: number, outcome: Omit<InboxOutcome, 'appliedAt'>): Promise<Applied> {
  const appliedAt = (deps.now?.() ?? new Date()).toISOString();
  await deps.groupCommit.run((tx) => tx.recordMessage(id, { ...outcome, appliedAt }));
  return { id, ...outcome };
}

type Decided = { applied: Applied; publications: Parameters<BookingDeps['publish']>[0] };

/**
 * Reads a stored message with its channel's mapper and applies its booking. Used at receipt, at start-up
 * for what a crash left `received`, and to apply a refused message again once its cause is fixed. A
 * message already applied (or found to repeat a booking) is never applied twice: its outcome is returned.
 * The message's status is read again inside the booking's transaction, which holds the log's write lock
 * on every store, so two instances applying the same message (both starting after a crash) apply it once.
 */
export async function applyStored(deps: BookingDeps, id: number): Promise<Applied | null> {
  const row = await deps.store.inboxMessage(id);
  if (!row) return null;
  if (settled(row.status)) return outcomeOf(row);
  const mapper = await preparedMapper(row.channel);
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
  try {
    const decided = await deps.groupCommit.run(async (tx): Promise<Decided> => {
      const current = await tx.inboxMessage(id);
      if (!current || settled(current.status)) return { applied: outcomeOf(current ?? row), publications: [] };
      const done = await bookingWork(executeContext(deps, mapped.actor, tx), mapped.booking);
      const status = done.result.duplicate ? 'duplicate' : 'applied';
      // In the booking's savepoint: a crash cannot leave a booking applied and its message waiting to be applied again.
      await tx.recordMessage(id, { status, caseId: done.result.caseId, rule: null, params: null, appliedAt });
      return { applied: { id, status, caseId: done.result.caseId, rule: null, params: null }, publications: done.publications };
    });
    deps.publish(decided.publications);
    return decided.applied;
  } catch (error) {
    const rejection = rejectionOf(error);
    if (!rejection) throw error;
    return record(deps, id, { status: 'refused', caseId: null, rule: rejection.rule, params: rejection.params });
  }
}

/** Applies, oldest first, every message a crash left stored and unapplied. Returns how many it found. */
export async function applyPending(deps: BookingDeps): Promise<number> {
  const pending = await deps.store.pendingMessages();
  for (const id of pending) await applyStored(deps, id);
  return pending.length;
}

export type MessageSummary = InboxSummary;

/**
 * The newest messages first, without their text: the raw message names the patient, so it is read one
 * at a time (store.inboxMessage) by those who may read patient data.
 */
export function listMessages(deps: Pick<BookingDeps, 'store'>, options: { limit: number; status?: MessageStatus }): Promise<MessageSummary[]> {
  return deps.store.inboxMessages({ ...options, limit: Math.max(1, Math.min(options.limit, 500)) });
}

/** The same list read straight from a SQLite connection, synchronously (the SQLite tests that hold one). */
export function recentMessages(db: DB, options: { limit: number; status?: MessageStatus }): MessageSummary[] {
  const { id, channel, sender, messageId, receivedAt, charset, messageType, status, rule, params, caseId, appliedAt } = interfaceMessages;
  const query = db.select({ id, channel, sender, messageId, receivedAt, charset, messageType, status, rule, params, caseId, appliedAt }).from(interfaceMessages);
  const filtered = options.status ? query.where(eq(interfaceMessages.status, options.status)) : query;
  return filtered
    .orderBy(desc(interfaceMessages.id))
    .limit(Math.max(1, Math.min(options.limit, 500)))
    .all()
    .map((row) => ({ ...row, params: (row.params as RuleParams | null) ?? null }));
}
