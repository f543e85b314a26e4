import { decide, statesAfter, type CaseState, type Command, type CommandAnswer, type CommandBody, type CommandType, type DecideContext, type Rejection } from '$shared';

// The outbox's rules, with no storage and no network: what a tap becomes, what the screen shows
// meanwhile, and in which order and how far a replay goes. outbox.svelte.ts keeps the entries in
// IndexedDB and sends them; these functions decide.

/** Why the server would not record an entry, in the words it sent (already in the user's language). */
export interface Refusal {
  status: number;
  code: string;
  detail: string;
  currentVersion?: number;
}

/** One tapped command waiting to reach the server. */
export interface OutboxEntry {
  /** Its Idempotency-Key: the same on every attempt, so a retry after a lost answer is applied once. */
  key: string;
  /** Who tapped it: it is sent as them, and only their own session ever sees it. */
  userId: string;
  caseId: string;
  /** Taps are replayed in the order they were made. */
  order: number;
  /** The body exactly as every attempt sends it (the server keeps the key with a hash of it): the tap time is its occurredAt. */
  body: CommandBody & { occurredAt: string };
  /** The server's refusal (a colleague acted meanwhile, a rule now refuses it): the case's queue waits for the user. */
  refused?: Refusal;
}

export type Outcome =
  | { kind: 'sent'; answer: CommandAnswer }
  | { kind: 'refused'; refusal: Refusal }
  /** No answer came: the network is still down, or the answer was lost on the way back. */
  | { kind: 'unreachable' }
  /** The session has expired: the user signs in again and the replay goes on as them. */
  | { kind: 'signed_out' };

const commandOf = (body: CommandBody): Command & { occurredAt?: string } => {
  const { expectedVersion: _v, ...command } = body;
  return command as Command & { occurredAt?: string };
};

export const byOrder = (entries: readonly OutboxEntry[]): OutboxEntry[] => [...entries].sort((a, b) => a.order - b.order);

export const entriesOf = (entries: readonly OutboxEntry[], caseId: string): OutboxEntry[] => byOrder(entries.filter((e) => e.caseId === caseId));

export const nextOrder = (entries: readonly OutboxEntry[]): number => entries.reduce((max, e) => Math.max(max, e.order), 0) + 1;

/** The tap time of a step typed without one: now, but never before the case's last step (a clock a little behind the server's). */
export const tapTime = (state: CaseState, now: string): string => (Date.parse(now) < Date.parse(state.lastOccurredAt) ? state.lastOccurredAt : now);

/**
 * What a tap on `state` sends: the machine's verdict on the local state, and the body. A command the
 * machine refuses here is refused at once, as the server would, and never queued.
 */
export function prepare(
  state: CaseState,
  type: CommandType,
  payload: Record<string, unknown>,
  occurredAt: string,
  ctx: DecideContext,
): { ok: true; body: OutboxEntry['body'] } | { ok: false; rejection: Rejection } {
  const body = { type, expectedVersion: state.version, occurredAt, ...payload } as OutboxEntry['body'];
  const decision = decide(commandOf(body), state, ctx);
  return decision.ok ? { ok: true, body } : { ok: false, rejection: decision.rejection };
}

/**
 * The case as the screen shows it: the server's state with this user's waiting steps applied in
 * order, each through the shared machine and fold. An entry stops the chain when it no longer fits
 * (refused, or the case moved on under it: the replay will say so); what follows it is not applied.
 */
export function optimistic(state: CaseState, entries: readonly OutboxEntry[], ctx: Omit<DecideContext, 'now'>): { state: CaseState; applied: string[] } {
  let current = state;
  const applied: string[] = [];
  for (const entry of entriesOf(entries, state.id)) {
    if (entry.refused || entry.body.expectedVersion !== current.version) break;
    const decision = decide(commandOf(entry.body), current, { ...ctx, now: entry.body.occurredAt });
    if (!decision.ok) break;
    current = statesAfter(current, decision.events).at(-1)!;
    applied.push(entry.key);
  }
  return { state: current, applied };
}

export interface ReplayPort {
  send(entry: OutboxEntry): Promise<Outcome>;
  sent(entry: OutboxEntry, answer: CommandAnswer): Promise<void> | void;
  refused(entry: OutboxEntry, refusal: Refusal): Promise<void> | void;
}

/**
 * Sends the entries oldest first, each once. A case whose entry is refused keeps the rest of its
 * queue (they were tapped on what the refused one would have made); other cases go on. No answer, or
 * an expired session, stops the whole replay: the next trigger starts again from the same entry.
 */
export async function replay(entries: readonly OutboxEntry[], port: ReplayPort): Promise<'done' | 'unreachable' | 'signed_out'> {
  const held = new Set(entries.filter((e) => e.refused).map((e) => e.caseId));
  for (const entry of byOrder(entries)) {
    if (held.has(entry.caseId)) continue;
    const outcome = await port.send(entry);
    if (outcome.kind === 'unreachable' || outcome.kind === 'signed_out') return outcome.kind;
    if (outcome.kind === 'sent') await port.sent(entry, outcome.answer);
    else {
      held.add(entry.caseId);
      await port.refused(entry, outcome.refusal);
    }
  }
  return 'done';
}

/**
 * "Send again" after the user has read the refusal: the refused entry and those tapped after it on
 * the same case go again on the case as the server now has it (`version`), in the same order, each
 * with a new key, since its body changes and none of them was recorded.
 */
export function resend(entries: readonly OutboxEntry[], key: string, version: number, newKey: () => string): OutboxEntry[] {
  const refused = entries.find((e) => e.key === key);
  if (!refused) return [...entries];
  const queue = entriesOf(entries, refused.caseId).filter((e) => e.order >= refused.order);
  const rebased = new Map(
    queue.map((e, i) => {
      const { refused: _r, ...rest } = e;
      return [e.key, { ...rest, key: newKey(), body: { ...e.body, expectedVersion: version + i } }];
    }),
  );
  return entries.map((e) => rebased.get(e.key) ?? e);
}

/** "Give up": the user has read what will not be recorded. Only that entry goes. */
export const abandon = (entries: readonly OutboxEntry[], key: string): OutboxEntry[] => entries.filter((e) => e.key !== key);
