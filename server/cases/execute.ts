import { createHash, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { idempotency, patients } from '../../db/schema';
import type { Connection } from '../../db/connection';
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
import { currentEquipment } from '../unit/equipment';

export interface CommandResult {
  status: number;
  body: unknown;
  /** What to push live once the transaction has committed (empty for a replayed answer). */
  publications: Publication[];
}

export interface ExecuteContext {
  connection: Connection;
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

const requestHash = (route: string, body: unknown) => createHash('sha256').update(route).update(JSON.stringify(body)).digest('hex');

/**
 * Answers a replayed Idempotency-Key with the first answer, and stores a new successful answer beside
 * the events it produced, so a retry after a lost response (even across a restart) never applies a
 * command twice. It runs in the transaction its caller holds: for a request, the savepoint the group
 * commit gives each command, so a refusal thrown here undoes this command alone. Called on its own
 * (the demo day, a test booking a case in the past) it takes an IMMEDIATE transaction of its own.
 */
function idempotent(ctx: ExecuteContext, route: string, payload: unknown, work: () => CommandResult): CommandResult {
  const { db, sqlite } = ctx.connection;
  const run = (): CommandResult => {
    const key = ctx.idempotencyKey;
    const hash = key ? requestHash(route, payload) : '';
    if (key) {
      const prior = db
        .select()
        .from(idempotency)
        .where(and(eq(idempotency.actorId, ctx.actor.id), eq(idempotency.key, key)))
        .get();
      if (prior) {
        if (prior.requestHash !== hash) {
          throw new Problem(422, 'idempotency_key_reused', { key: 'problem.idempotency_key_reused' });
        }
        return { status: prior.statusCode, body: prior.body, publications: [] };
      }
    }
    const result = work();
    if (key) {
      db.insert(idempotency)
        .values({ actorId: ctx.actor.id, key, requestHash: hash, statusCode: result.status, body: result.body, createdAt: ctx.now.toISOString() })
        .run();
    }
    return result;
  };
  return sqlite.inTransaction ? run() : sqlite.transaction(run).immediate();
}

function view(ctx: ExecuteContext): BoardView {
  return { now: ctx.now.toISOString(), settings: ctx.settings, labelMode: ctx.labelMode };
}

function decideContext(ctx: ExecuteContext) {
  return { now: ctx.now.toISOString(), actor: ctx.actor, rooms: ctx.connection.store.rooms(), settings: ctx.settings };
}

/** Appends a case's new events, folds them into the projection and moves its room, all inside the caller's transaction. */
function commit(ctx: ExecuteContext, before: CaseState | null, newEvents: CaseEvent[], patientId: string | null) {
  const { store } = ctx.connection;
  const nowIso = ctx.now.toISOString();
  const states = statesAfter(before, newEvents);
  const after = states[states.length - 1]!;
  // The projection row first: the events reference it.
  store.saveCase(after, dayOf(after.scheduledAt, ctx.settings.timeZone), before ? null : patientId, nowIso);
  // Only a device event or the correction of one changes the list: the other commands skip the rewrite.
  if ((before?.devices ?? []).length !== (after.devices ?? []).length) store.saveDevices(after);
  const stored: { event: StoredEvent; state: CaseState }[] = newEvents.map((event, i) => ({
    event: store.append({ caseId: after.id, version: states[i]!.version }, event),
    state: states[i]!,
  }));
  const move = roomChange(before, after);
  if (move) store.setRoomStatus(move.roomId, move.status, move.caseId, newEvents[newEvents.length - 1]!.occurredAt);
  const rooms = move ? store.rooms() : null;
  const publications = stored.map((s, i) => publication(s.event, s.state, i === stored.length - 1 ? rooms : null, view(ctx)));
  return { state: after, events: stored.map((s) => ({ seq: s.event.seq, version: s.event.version, ...s.event.event })), publications };
}

export function scheduleCase(ctx: ExecuteContext, raw: ScheduleCaseBody): CommandResult {
  const body = withUtcInstants(raw, ['scheduledAt']);
  return idempotent(ctx, 'POST /api/cases', body, () => {
    const { db } = ctx.connection;
    const caseId = randomUUID();
    const existing = db.select().from(patients).where(eq(patients.mrn, body.patient.mrn)).get();
    const events = unwrap(createCase(caseId, body, { ...decideContext(ctx), knownPatient: existing ?? null }));
    const patientId = existing?.id ?? randomUUID();
    if (!existing) {
      db.insert(patients)
        .values({ id: patientId, ...body.patient, sex: body.patient.sex ?? null, createdAt: ctx.now.toISOString() })
        .run();
    }
    const result = commit(ctx, null, events, patientId);
    return { status: 201, body: { case: result.state, events: result.events }, publications: result.publications };
  });
}

export function executeCaseCommand(ctx: ExecuteContext, caseId: string, raw: CommandBody): CommandResult {
  const body = withUtcInstants(raw, ['occurredAt', 'scheduledAt']);
  return idempotent(ctx, `POST /api/cases/${caseId}/commands`, body, () => {
    const state = ctx.connection.store.loadCase(caseId);
    if (!state) throw problems.notFound({ key: 'problem.case_not_found' });
    if (state.version !== body.expectedVersion) {
      throw new Problem(
        409,
        'version_conflict',
        { key: 'problem.version_conflict', params: { current: state.version, expected: body.expectedVersion } },
        { currentVersion: state.version },
      );
    }
    const { expectedVersion: _v, ...command } = body;
    // The machine list is read only for the one command that names a machine.
    const equipment = command.type === 'record_dose' ? { equipment: currentEquipment(ctx.connection.db).machines } : {};
    const events = unwrap(decide(command as Parameters<typeof decide>[0], state, { ...decideContext(ctx), ...equipment }));
    const result = commit(ctx, state, events, null);
    return { status: 200, body: { case: result.state, events: result.events }, publications: result.publications };
  });
}

/**
 * The hospital's record of a case's patient changed: the case follows it, as one event, through the
 * same fold, store and publication as a command (no idempotency key: the interface's inbox already
 * applies each message once). Nothing to change answers with no event.
 */
export function executeDemographics(ctx: ExecuteContext, caseId: string, update: DemographicsUpdate): CommandResult {
  const state = ctx.connection.store.loadCase(caseId);
  if (!state) throw problems.notFound({ key: 'problem.case_not_found' });
  const events = unwrap(updateDemographics(state, update, decideContext(ctx)));
  if (events.length === 0) return { status: 200, body: { case: state, events: [] }, publications: [] };
  const result = commit(ctx, state, events, null);
  return { status: 200, body: { case: result.state, events: result.events }, publications: result.publications };
}

export function executeRoomReady(ctx: ExecuteContext, roomId: string): CommandResult {
  return idempotent(ctx, `POST /api/rooms/${roomId}/commands`, { type: 'room_ready' }, () => {
    const { store } = ctx.connection;
    const room = store.rooms().find((r) => r.id === roomId);
    if (!room) throw problems.notFound({ key: 'problem.room_not_found' });
    const decision = decideRoomReady(room, ctx.actor);
    if (!decision.ok) throw rejectionProblem(decision.rejection);
    const at = ctx.now.toISOString();
    const event: RoomEvent = { type: 'RoomReady', occurredAt: at, recordedAt: at, actor: ctx.actor, data: { roomId } };
    const stored = store.append({ roomId }, event);
    store.setRoomStatus(roomId, 'free', null, at);
    const rooms = store.rooms();
    return {
      status: 200,
      body: { room: rooms.find((r) => r.id === roomId), events: [{ seq: stored.seq, ...event }] },
      publications: [publication(stored, null, rooms, view(ctx))],
    };
  });
}
