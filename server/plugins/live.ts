import websocket from '@fastify/websocket';
import type {
  FastifyInstance,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
  onRequestAsyncHookHandler,
  preHandlerAsyncHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import {
  PATIENT_DATA_READERS,
  dayOf,
  toBoardCase,
  type CaseState,
  type LiveErrorMessage,
  type LiveRequest,
  type PongMessage,
  type ResumedMessage,
  type SnapshotMessage,
} from '../../shared';
import { resolveDisplayToken } from '../auth/display-tokens';
import { sessionHolds } from '../auth/sessions';
import { Problem } from '../http/problem';
import { CLOSE, LiveHub, type Audience, type LiveClient, type Publication } from '../live/hub';
import { MessageBudget } from '../live/message-budget';
import type { BoardView } from '../live/messages';
import { LogPublisher } from '../live/log-publisher';
import { ReplayWindow } from '../live/replay-window';
import { ResumeQueue } from '../live/resume-queue';
import { SESSION_COOKIE } from './auth';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
    /** Pushes committed events to every live client; call only after the transaction committed. */
    publish(publications: Publication[]): void;
    /** At the unit's midnight, gives every screen the new day's snapshot; checked every minute (exposed for tests). */
    turnDay(now?: Date): void;
  }
}

/** A client's mark while what it must hold first is being read: the hub sends it nothing live meanwhile. */
const HELD = Number.MAX_SAFE_INTEGER;

/** A client further behind than this gets a fresh snapshot rather than a replay. */
export const RESUME_LIMIT = 1000;
/** A socket is answered at most one resume request per this long; the latest request wins. */
export const RESUME_SPACING_MS = 1000;
/** After a socket spent its message budget, its display token or session is refused a new socket (429) for this long. */
export const PENALTY_MS = 5000;

/** The live URL's query as the parser gives it: a repeated key comes as an array, which no check below accepts. */
type LiveQuery = { Querystring: Partial<Record<'token' | 'batch' | 'since', string | string[]>> };
type LiveRequestOf = FastifyRequest<LiveQuery>;

/** A frame a screen sent, if it is one the feed answers. */
function parseRequest(raw: string): LiveRequest | null {
  let message: unknown;
  try {
    message = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null) return null;
  const { type, since } = message as { type?: unknown; since?: unknown };
  if (type === 'resume' && typeof since === 'number' && Number.isSafeInteger(since) && since >= 0) return { type, since };
  if (type === 'ping') return { type };
  return null;
}

/**
 * The instance's PgEventFeed (db/pg/event-feed.ts): it listens on its own connection and delivers every
 * row after the last seq it holds, in order, once, whoever committed it, and catches up after a lost
 * connection. Started at the log's end: a screen connecting gets its snapshot and replay from the store.
 */
async function followLog(app: FastifyInstance, fanOut: (publications: Publication[]) => void): Promise<LogPublisher> {
  const postgres = app.postgres!;
  const boardView = (): BoardView => ({ now: new Date().toISOString(), settings: app.settings, labelMode: app.config.boardLabel });
  const from = await postgres.store.lastSeq();
  const publisher = new LogPublisher(postgres.store, boardView, fanOut, (error) => app.log.error({ err: error }, 'live: publishing from the log failed'), from);
  // Loaded here, not at the top: a SQLite server never loads the PostgreSQL driver (about 9 MB).
  const { PgEventFeed } = await import('../../db/pg/event-feed');
  const feed = new PgEventFeed({
    connectionString: app.config.databaseUrl!,
    reads: postgres.store,
    from,
    deliver: (events) => publisher.deliver(events),
    onStatus: (status, error) =>
      status === 'lost' ? app.log.warn({ err: error }, 'live: the log listener lost its connection; reconnecting') : app.log.info('live: listening to the log'),
  });
  await feed.start();
  app.addHook('preClose', async () => feed.stop());
  return publisher;
}

const frame = (message: ResumedMessage | PongMessage | LiveErrorMessage) => JSON.stringify(message);

export default fp(
  async function live(app: FastifyInstance) {
    // At every heartbeat a staff socket's session is checked again: signed out, expired, revoked or
    // disabled (even from the CLI, another process) and the socket closes within one beat.
    // On PostgreSQL a board's display token is checked too: another instance may have revoked it, and
    // only that instance's own sockets were closed at once. One query per beat serves every board.
    let tokenCheck: { ids: Set<string>; valid: Promise<Set<string>> } | null = null;
    const tokenHolds = (id: string) => {
      if (!tokenCheck) {
        const ids = new Set<string>();
        const valid = new Promise<Set<string>>((resolve, reject) =>
          setImmediate(() => {
            tokenCheck = null;
            app.accounts.validDisplayTokens([...ids]).then(resolve, reject);
          }),
        );
        tokenCheck = { ids, valid };
      }
      tokenCheck.ids.add(id);
      return tokenCheck.valid.then((valid) => valid.has(id));
    };
    const stillAllowed = (client: LiveClient) => {
      if (client.sessionToken !== null) return sessionHolds(app.accounts, client.sessionToken, new Date(), app.config.sessionIdleMs);
      return client.displayTokenId !== null && app.postgres ? tokenHolds(client.displayTokenId) : true;
    };
    const limits = app.config.liveLimits;
    const hub = new LiveHub({
      maxBufferedBytes: app.config.liveMaxBufferBytes,
      heartbeatMs: app.config.liveHeartbeatMs,
      stillAllowed,
      maxPerToken: limits.socketsPerToken,
      maxPerSession: limits.socketsPerSession,
    });
    app.decorate('live', hub);
    const fanOut = (publications: Publication[]) => {
      // The first event after midnight must not reach screens still holding yesterday's list: turn
      // the day first (the minute timer below covers quiet nights).
      turnDay();
      recent.add(publications);
      hub.publish(publications);
    };
    // On PostgreSQL the log is the one source of what goes live, whichever instance committed it: an
    // instance's own commands wait for the feed to reach their seq, so every screen of every instance
    // sees one order, each event once.
    let fromLog: LogPublisher | null = null;
    app.decorate('publish', (publications: Publication[]) => {
      if (fromLog) fromLog.committed(publications);
      else fanOut(publications);
    });
    app.addHook('preClose', async () => hub.close());

    await app.register(websocket, { options: { maxPayload: 4096 } });

    const boardView = (): BoardView => ({ now: new Date().toISOString(), settings: app.settings, labelMode: app.config.boardLabel });

    async function snapshot(audience: Audience, now: Date) {
      const seq = await app.store.lastSeq();
      const day = dayOf(now, app.config.timezone);
      const stored = await app.store.caseJsonOfDay(day);
      const rooms = await app.store.rooms();
      const view = boardView();
      // Staff get the cases as stored: parsing them only to serialise them again was most of a snapshot's cost.
      const cases =
        audience === 'staff'
          ? stored.join(',')
          : stored.map((json) => JSON.stringify(toBoardCase(JSON.parse(json) as CaseState, view.now, view.settings, view.labelMode))).join(',');
      const head = JSON.stringify({
        type: 'snapshot',
        seq,
        day,
        // The unit's numbers and the server clock, so screens compute alerts and timers as the server does.
        now: view.now,
        settings: app.settings,
      } satisfies Omit<SnapshotMessage<Audience>, 'cases' | 'rooms'>);
      // Bytes, not text: after a restart every board gets this one buffer, encoded once.
      const data = Buffer.from(`${head.slice(0, -1)},"cases":[${cases}],"rooms":${JSON.stringify(rooms)}}`);
      return { seq, day, data, bytes: data.length, builtAt: Date.now() };
    }

    // After a restart every board reconnects at once, and on a busy day the log moves many times a
    // second: one snapshot per audience serves every socket for a second (boards' time-based alerts
    // move with the clock), followed by the events committed since it, as if they had come live. So a
    // day's list is read and serialised at most once a second, however many sockets ask.
    const snapshots = new Map<Audience, Awaited<ReturnType<typeof snapshot>>>();
    async function recentSnapshot(audience: Audience, now = new Date()) {
      const cached = snapshots.get(audience);
      if (cached && Date.now() - cached.builtAt < 1000 && cached.day === dayOf(now, app.config.timezone)) return cached;
      const fresh = await snapshot(audience, now);
      snapshots.set(audience, fresh);
      return fresh;
    }

    /**
     * The day's list to a client, then whatever was committed after it: the client holds everything up
     * to the latest event. Nothing goes out live to it meanwhile (its mark is held at the top); the
     * frames after the snapshot come from the replay window, which publications reach too, and are sent
     * with the new mark in one synchronous step, so none is lost or sent twice whatever the store awaits.
     */
    async function sendSnapshot(client: LiveClient, now = new Date()) {
      client.lastSeq = HELD;
      let base = await recentSnapshot(client.audience, now);
      for (let fresh = false; ; fresh = true) {
        await recent.catchUp(await app.store.lastSeq());
        const rooms = (recent.end ?? 0) > base.seq ? await app.store.rooms() : [];
        // What follows the snapshot weighs no more than a fresh one, and both fit what a socket may hold unsent.
        const room = Math.min(base.bytes, app.config.liveMaxBufferBytes - base.bytes);
        const after = recent.end === base.seq ? [] : (recent.end ?? -1) > base.seq ? recent.replay(base.seq, client.audience, rooms, room) : null;
        if (after !== null || fresh) {
          hub.send(client, base.data);
          sendFrames(client, after ?? []);
          client.lastSeq = after === null ? base.seq : Math.max(base.seq, recent.end ?? 0);
          return;
        }
        base = await snapshot(client.audience, now);
        snapshots.set(client.audience, base);
      }
    }

    const failed = (what: string) => (error: unknown) => app.log.error({ err: error }, `live: ${what} failed`);
    /** A client whose snapshot or replay could not be read is held: it is dropped, and reconnects and resumes. */
    const dropOnFailure = (client: LiveClient, what: string) => (error: unknown) => {
      failed(what)(error);
      client.socket.terminate();
    };

    function sendFrames(client: LiveClient, frames: string[]) {
      if (frames.length === 0) return;
      if (client.batch) hub.send(client, `{"type":"batch","messages":[${frames.join(',')}]}`);
      else for (const frame of frames) hub.send(client, frame);
    }

    // A wall screen runs for weeks: at the unit's midnight its list must become the new day's, and
    // nobody is there to reload it. Every client gets the fresh snapshot; the hub then skips what it holds.
    let today = dayOf(new Date(), app.config.timezone);
    function turnDay(now = new Date()) {
      const day = dayOf(now, app.config.timezone);
      if (day === today) return;
      today = day;
      for (const client of hub.clients) sendSnapshot(client, now).catch(dropOnFailure(client, 'day turn snapshot'));
    }
    app.decorate('turnDay', turnDay);
    const dayTimer = setInterval(() => turnDay(), 60_000);
    dayTimer.unref();
    app.addHook('onClose', async () => clearInterval(dayTimer));

    // Resumes are served from memory: their cost is the frames sent, not a read and a fold per request.
    const recent = new ReplayWindow(app.store, RESUME_LIMIT, boardView);
    const resumes = new ResumeQueue((client, since) => void resume(client, since).catch(dropOnFailure(client, 'resume')), RESUME_SPACING_MS);
    app.addHook('onClose', async () => resumes.close());

    type Credentials = Pick<LiveClient, 'audience' | 'displayTokenId' | 'staffId' | 'sessionToken'>;
    async function authenticate(request: LiveRequestOf): Promise<Credentials | 'forbidden' | 'password_change_required' | null> {
      // A board URL is a board, whatever else the browser holds: a coordinator signed in on the wall
      // screen's PC must not turn it into a screen full of names.
      const token = request.query.token;
      if (token !== undefined) {
        if (typeof token !== 'string' || token.length > 200) return null;
        const display = await resolveDisplayToken(app.accounts, token, new Date());
        return display ? { audience: 'board', displayTokenId: display.id, staffId: null, sessionToken: null } : null;
      }
      if (!request.user) return null;
      if (request.passwordChangeRequired) return 'password_change_required';
      // The staff feed carries whole cases: an administrator manages accounts, not patients.
      if (!PATIENT_DATA_READERS.includes(request.user.role)) return 'forbidden';
      return { audience: 'staff', displayTokenId: null, staffId: request.user.id, sessionToken: request.cookies[SESSION_COOKIE] ?? null };
    }

    // A display token or session whose socket spent its budget is refused for a while, every socket of it.
    const penalised = new Map<string, number>();
    function penalise(credential: string) {
      const now = Date.now();
      if (penalised.size > 1000) for (const [key, until] of penalised) if (until <= now) penalised.delete(key);
      penalised.set(credential, now + PENALTY_MS);
    }

    // The token or session cookie as presented, so a penalty is checked before anything is looked up.
    const presented = (request: LiveRequestOf) => {
      const token = request.query.token;
      return typeof token === 'string' ? `token:${token}` : `session:${request.cookies[SESSION_COOKIE] ?? ''}`;
    };

    // Refused before the upgrade, so a client over its address's cap, or reconnecting at once after
    // spending its budget, holds no socket at all and costs no snapshot.
    const capAddress: onRequestAsyncHookHandler<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, LiveQuery> = async (request) => {
      if ((penalised.get(presented(request)) ?? 0) > Date.now()) {
        throw new Problem(429, 'too_many_requests', { key: 'problem.live_too_many_messages' });
      }
      if (hub.socketsFrom(request.ip) >= limits.socketsPerAddress) {
        throw new Problem(429, 'too_many_requests', { key: 'problem.live_too_many_sockets' });
      }
    };

    // Looked up before the upgrade, whatever the database awaits: once the socket is open its first
    // frames must find their listeners in place.
    const credentials = new WeakMap<FastifyRequest, Awaited<ReturnType<typeof authenticate>>>();
    const lookUp: preHandlerAsyncHookHandler<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, LiveQuery> = async (request) => {
      credentials.set(request, await authenticate(request));
    };

    app.get<LiveQuery>('/api/live', { websocket: true, schema: { hide: true }, onRequest: capAddress, preHandler: lookUp }, (socket: WebSocket, request) => {
      hub.track(socket, request.ip);
      const who = credentials.get(request) ?? null;
      if (who === null || typeof who === 'string') {
        // 4401 tells a screen to sign in again; 4403 that signing in again will not help.
        socket.close(who === null ? CLOSE.unauthenticated : CLOSE.forbidden, who === null ? 'unauthenticated' : who);
        return;
      }
      const credential = presented(request);
      const query = request.query;
      const client: LiveClient = { socket, ...who, lastSeq: 0, batch: query.batch === '1', alive: true, address: request.ip };
      hub.add(client);
      // A client that already holds events up to `since` (a reconnecting board) skips the snapshot.
      const since = typeof query.since === 'string' && /^\d{1,15}$/.test(query.since) ? Number(query.since) : null;
      if (since !== null) {
        // Nothing goes out live until its replay has: that replay runs up to the latest event.
        client.lastSeq = HELD;
        resumes.request(client, since);
      } else {
        sendSnapshot(client).catch(dropOnFailure(client, 'snapshot'));
      }

      const budget = new MessageBudget(limits.messagesPerMinute);
      let overBudget = false;
      socket.on('message', (raw, isBinary) => {
        if (overBudget) return;
        if (!budget.spend()) {
          overBudget = true;
          penalise(credential);
          socket.close(CLOSE.messageBudget, 'message budget exceeded');
          // Frames already on their way are not even parsed; the socket is dropped if the peer does not close.
          socket.pause();
          setTimeout(() => socket.terminate(), 2000).unref();
          return;
        }
        const message = isBinary ? null : parseRequest(raw.toString());
        if (message?.type === 'resume') {
          resumes.request(client, message.since);
        } else if (message?.type === 'ping') {
          // What the screens were sent, not the log's last seq: a commit is in the log a moment before it
          // goes out (the hub's next tick; on PostgreSQL, the feed), and a pong must not announce an
          // event no screen has yet. A screen holding less than this missed something.
          hub.send(client, frame({ type: 'pong', seq: hub.sentSeq }));
        } else {
          hub.send(client, frame({ type: 'error', code: 'validation_failed', detail: 'expected {"type":"resume","since":<seq>}' }));
        }
      });
    });

    /**
     * Everything after `since` from the log, then live again. The client's mark is held while the log is
     * read; the frames then leave and the mark moves to the window's end in one synchronous step, so no
     * publication slips between them (the hub skips what the client now holds).
     */
    async function resume(client: LiveClient, since: number) {
      turnDay();
      client.lastSeq = HELD;
      const current = await app.store.lastSeq();
      // A client still holding another day's list, or one from the future, starts again from a snapshot.
      const heldAt = since === 0 ? null : await app.store.recordedAt(since);
      const sameDay = heldAt !== null && dayOf(heldAt, app.config.timezone) === dayOf(new Date(), app.config.timezone);
      // A replay never costs more than a snapshot, and never more than half what a socket may hold
      // unsent (the rest is for what is already on its way and the `resumed` that follows), else a
      // tablet far behind would be cut off at every reconnect.
      const maxBytes = Math.min((await recentSnapshot(client.audience)).bytes, app.config.liveMaxBufferBytes / 2);
      const replayable = since <= current && sameDay;
      if (replayable) await recent.catchUp(current);
      // The current rooms go on the last frame: read only when there is a frame to send.
      const rooms = replayable && (recent.end ?? 0) > since ? await app.store.rooms() : [];
      const missed = replayable ? recent.replay(since, client.audience, rooms, maxBytes) : null;
      if (!missed) {
        await sendSnapshot(client);
        return;
      }
      const end = Math.max(current, recent.end ?? 0);
      sendFrames(client, missed);
      client.lastSeq = end;
      hub.send(client, frame({ type: 'resumed', seq: end, now: new Date().toISOString() }));
    }

    // Last, once everything it publishes to is in place.
    if (app.postgres) fromLog = await followLog(app, fanOut);
    hub.sentSeq = Math.max(hub.sentSeq, fromLog ? fromLog.delivered : await app.store.lastSeq());
  },
  { name: 'live', dependencies: ['database', 'auth', 'settings'] },
);
