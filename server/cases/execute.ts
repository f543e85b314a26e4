import { createHash, randomUUID } from 'node:crypto';
import { versionConflictOf, type StoreTransaction } from '../../db/store';
import {
  createCase,
  dayOf,
  decide,
  decideRoomReady,
  roomChange,
  statesAfter,
  updateDemographics,
  type Actor,
  type CaseEvent,
  type CaseState,
  type CommandBody,
  type Decision,
  type DemographicsUpdate,
  type Rejection,
  type ScheduleCaseBody,
  type Settings,
} from '../../shared';
import { withUtcInstants } from '../http/instants';
import { Problem, problems } from '../http/problem';
import { publication, type BoardView } from '../live/messages';
import type { Publication } from '../live/hub';
import type { RoomEvent, StoredEvent } from '../../db/event-store';

export interface CommandResult {
  status: number;
  body: unknown;
  /** What to push live once the transaction has committed (empty for a replayed answer). */
  publications: Publication[];
}

export interface ExecuteContext {
  /** The transaction the command runs in (for a request, its savepoint in the group commit): the only way to the store. */
  tx: StoreTransaction;
  settings: Settings;
  labelMode: BoardView['labelMode'];
  actor: Actor;
  now: Date;
  idempotencyKey?: string | undefined;
}

function rejectionProblem(rejection: Rejection): Problem {
  const status = rejection.code === 'forbidden' ? 403 : 422;
  return new Problem(status, rejection.code, { rule: rejection.rule, params: rejection.params }, { rule: rejection.rule });
}

function unwrap(decision: Decision): CaseEvent[] {
  if (!decision.ok) throw rejectionProblem(decision.rejection);
  return decision.events;
}

/** The 409 a stale screen gets: what the case is at now, against the version it sent. */
const versionConflict = (current: number, expected: number) =>
  new Problem(409, 'version_conflict', { key: 'problem.version_conflict', params: { current, expected } }, { currentVersion: current });

const requestHash = (route: string, body: unknown) => createHash('sha256').update(route).update(JSON.stringify(body)).digest('hex');

/**
 * Answers a replayed Idempotency-Key with the first answer, and stores a new successful answer beside
 * the events it produced, so a retry after a lost response (even across a restart, or on another
 * instance) never applies a command twice. It runs in the transaction its caller holds: for a request,
 * the savepoint the group commit gives each command, so a refusal thrown here undoes this command alone.
 */
async function idempotent(ctx: ExecuteContext, route: string, payload: unknown, work: () => Promise<CommandResult>): Promise<CommandResult> {
  const key = ctx.idempotencyKey;
  const hash = key ? requestHash(route, payload) : '';
  if (key) {
    const prior = await ctx.tx.answerOf(ctx.actor.id, key);
    if (prior) {
      if (prior.requestHash !== hash) {
        throw new Problem(422, 'idempotency_key_reused', { key: 'problem.idempotency_key_reused' });
      }
      return { status: prior.statusCode, body: prior.body, publications: [] };
    }
  }
  const result = await work();
  if (key) await ctx.tx.rememberAnswer(ctx.actor.id, key, { requestHash: hash, statusCode: result.status, body: result.body }, ctx.now.toISOString());
  return result;
}

function view(ctx: ExecuteContext): BoardView {
  return { now: ctx.now.toISOString(), settings: ctx.settings, labelMode: ctx.labelMode };
}

async function decideContext(ctx: ExecuteContext) {
  return { now: ctx.now.toISOString(), actor: ctx.actor, rooms: await ctx.tx.rooms(), settings: ctx.settings };
}

/** Appends a case's new events, folds them into the projection and moves its room, all inside the caller's transaction. */
async function commit(ctx: ExecuteContext, before: CaseState | null, newEvents: CaseEvent[], patientId: string | null) {
  const store = ctx.tx;
  const nowIso = ctx.now.toISOString();
  const states = statesAfter(before, newEvents);
  const after = states[states.length - 1]!;
  // The projection row first: the events reference it.
  await store.saveCase(after, dayOf(after.scheduledAt, ctx.settings.timeZone), before ? null : patientId, nowIso);
  // Only a device event or the correction of one changes the list: the other commands skip the rewrite.
  if ((before?.devices ?? []).length !== (after.devices ?? []).length) await store.saveDevices(after);
  const stored: { event: StoredEvent; state: CaseState }[] = [];
  for (const [i, event] of newEvents.entries()) {
    const stream = { caseId: after.id, version: states[i]!.version };
    try {
      stored.push({ event: await store.append(stream, event), state: states[i]! });
    } catch (error) {
      // Another writer stored this version first (the unique case + version index beneath the
      // expectedVersion check): the same 409 as a stale screen, and the savepoint undoes our writes.
      if (versionConflictOf(error, stream)) throw versionConflict(stream.version, before?.version ?? 0);
      throw error;
    }
  }
  const move = roomChange(before, after);
  if (move) await store.setRoomStatus(move.roomId, move.status, move.caseId, newEvents[newEvents.length - 1]!.occurredAt);
  const rooms = move ? await store.rooms() : null;
  const publications = stored.map((s, i) => publication(s.event, s.state, i === stored.length - 1 ? rooms : null, view(ctx)));
  return { state: after, events: stored.map((s) => ({ seq: s.event.seq, version: s.event.version, ...s.event.event })), publications };
}

export function scheduleCase(ctx: ExecuteContext, raw: ScheduleCaseBody): Promise<CommandResult> {
  const body = withUtcInstants(raw, ['scheduledAt']);
  return idempotent(ctx, 'POST /api/cases', body, async () => {
    const caseId = randomUUID();
    const existing = await ctx.tx.patientOfMrn(body.patient.mrn);
    const events = unwrap(createCase(caseId, body, { ...(await decideContext(ctx)), knownPatient: existing }));
    const patientId = existing?.id ?? randomUUID();
    if (!existing) {
      const { mrn, firstName, lastName, birthDate, sex } = body.patient;
      await ctx.tx.addPatient({ id: patientId, mrn, firstName, lastName, birthDate, sex: sex ?? null, createdAt: ctx.now.toISOString() });
    }
    const result = await commit(ctx, null, events, patientId);
    return { status: 201, body: { case: result.state, events: result.events }, publications: result.publications };
  });
}

export function executeCaseCommand(ctx: ExecuteContext, caseId: string, raw: CommandBody): Promise<CommandResult> {
  const body = withUtcInstants(raw, ['occurredAt', 'scheduledAt']);
  return idempotent(ctx, `POST /api/cases/${caseId}/commands`, body, async () => {
    const state = await ctx.tx.loadCase(caseId);
    if (!state) throw problems.notFound({ key: 'problem.case_not_found' });
    if (state.version !== body.expectedVersion) throw versionConflict(state.version, body.expectedVersion);
    const { expectedVersion: _v, ...command } = body;
    // The machine list is read only for the one command that names a machine.
    const equipment = command.type === 'record_dose' ? { equipment: await ctx.tx.machines() } : {};
    const events = unwrap(decide(command as Parameters<typeof decide>[0], state, { ...(await decideContext(ctx)), ...equipment }));
    const result = await commit(ctx, state, events, null);
    return { status: 200, body: { case: result.state, events: result.events }, publications: result.publications };
  });
}

/**
 * The hospital's record of a case's patient changed: the case follows it, as one event, through the
 * same fold, store and publication as a command (no idempotency key: the interface's inbox already
 * applies each message once). Nothing to change answers with no event.
 */
export async function executeDemographics(ctx: ExecuteContext, caseId: string, update: DemographicsUpdate): Promise<CommandResult> {
  const state = await ctx.tx.loadCase(caseId);
  if (!state) throw problems.notFound({ key: 'problem.case_not_found' });
  const events = unwrap(updateDemographics(state, update, await decideContext(ctx)));
  if (events.length === 0) return { status: 200, body: { case: state, events: [] }, publications: [] };
  const result = await commit(ctx, state, events, null);
  return { status: 200, body: { case: result.state, events: result.events }, publications: result.publications };
}

export function executeRoomReady(ctx: ExecuteContext, roomId: string): Promise<CommandResult> {
  return idempotent(ctx, `POST /api/rooms/${roomId}/commands`, { type: 'room_ready' }, async () => {
    const store = ctx.tx;
    const room = (await store.rooms()).find((r) => r.id === roomId);
    if (!room) throw problems.notFound({ key: 'problem.room_not_found' });
    const decision = decideRoomReady(room, ctx.actor);
    if (!decision.ok) throw rejectionProblem(decision.rejection);
    const at = ctx.now.toISOString();
    const event: RoomEvent = { type: 'RoomReady', occurredAt: at, recordedAt: at, actor: ctx.actor, data: { roomId } };
    const stored = await store.append({ roomId }, event);
    await store.setRoomStatus(roomId, 'free', null, at);
    const rooms = await store.rooms();
    return {
      status: 200,
      body: { room: rooms.find((r) => r.id === roomId), events: [{ seq: stored.seq, ...event }] },
      publications: [publication(stored, null, rooms, view(ctx))],
    };
  });
}
