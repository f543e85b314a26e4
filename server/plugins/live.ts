import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { PATIENT_DATA_READERS, evolve, toBoardCase, type CaseEvent, type CaseState } from '../../shared';
import { resolveDisplayToken } from '../auth/display-tokens';
import { sessionHolds } from '../auth/sessions';
import { dayOf } from '../cases/day';
import { LiveHub, type Audience, type LiveClient, type Publication } from '../live/hub';
import { SESSION_COOKIE } from './auth';
import { publication, type BoardView } from '../live/messages';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
    /** Pushes committed events to every live client; call only after the transaction committed. */
    publish(publications: Publication[]): void;
    /** At the unit's midnight, gives every screen the new day's snapshot; checked every minute (exposed for tests). */
    turnDay(now?: Date): void;
  }
}

/** A client further behind than this gets a fresh snapshot rather than a replay. */
export const RESUME_LIMIT = 1000;

export default fp(
  async function live(app: FastifyInstance) {
    // At every heartbeat a staff socket's session is checked again: signed out, expired, revoked or
    // disabled (even from the CLI, another process) and the socket closes within one beat.
    const stillAllowed = (client: LiveClient) =>
      client.sessionToken === null || sessionHolds(app.database.db, client.sessionToken, new Date(), app.config.sessionIdleMs);
    const hub = new LiveHub({ maxBufferedBytes: app.config.liveMaxBufferBytes, heartbeatMs: app.config.liveHeartbeatMs, stillAllowed });
    app.decorate('live', hub);
    app.decorate('publish', (publications: Publication[]) => {
      // The first event after midnight must not reach screens still holding yesterday's list: turn
      // the day first (the minute timer below covers quiet nights).
      turnDay();
      hub.publish(publications);
    });
    app.addHook('preClose', async () => hub.close());

    await app.register(websocket, { options: { maxPayload: 4096 } });

    const boardView = (): BoardView => ({ now: new Date().toISOString(), settings: app.settings, labelMode: app.config.boardLabel });

    function snapshot(audience: Audience, now: Date) {
      const { store } = app.database;
      const seq = store.lastSeq();
      const day = dayOf(now, app.config.timezone);
      const cases = store.casesOfDay(day);
      const view = boardView();
      const text = JSON.stringify({
        type: 'snapshot',
        seq,
        day,
        // The unit's numbers and the server clock, so screens compute alerts and timers as the server does.
        now: view.now,
        settings: app.settings,
        cases: audience === 'staff' ? cases : cases.map((c) => toBoardCase(c, view.now, view.settings, view.labelMode)),
        rooms: store.rooms(),
      });
      return { seq, day, text, builtAt: Date.now() };
    }

    // After a restart every board reconnects at once: one snapshot serves them all while nothing has
    // changed (for at most a second, since boards' time-based alerts move with the clock).
    const snapshots = new Map<Audience, ReturnType<typeof snapshot>>();
    function currentSnapshot(audience: Audience, now = new Date()) {
      const cached = snapshots.get(audience);
      if (cached && cached.seq === app.database.store.lastSeq() && Date.now() - cached.builtAt < 1000 && cached.day === dayOf(now, app.config.timezone)) {
        return cached;
      }
      const fresh = snapshot(audience, now);
      snapshots.set(audience, fresh);
      return fresh;
    }

    // A wall screen runs for weeks: at the unit's midnight its list must become the new day's, and
    // nobody is there to reload it. Every client gets the fresh snapshot; the hub then skips what it holds.
    let today = dayOf(new Date(), app.config.timezone);
    function turnDay(now = new Date()) {
      const day = dayOf(now, app.config.timezone);
      if (day === today) return;
      today = day;
      for (const client of hub.clients) {
        const fresh = currentSnapshot(client.audience, now);
        client.lastSeq = fresh.seq;
        hub.send(client, fresh.text);
      }
    }
    app.decorate('turnDay', turnDay);
    const dayTimer = setInterval(() => turnDay(), 60_000);
    dayTimer.unref();
    app.addHook('onClose', async () => clearInterval(dayTimer));

    /** The events after `since`, each with its case as it stood right after it, exactly as they went out live. */
    function replay(since: number): Publication[] | null {
      const { store } = app.database;
      const missed = store.eventsSince(since, RESUME_LIMIT + 1);
      if (missed.length > RESUME_LIMIT) return null;
      // Each missed case is folded once, keeping the states at the versions the client missed.
      const wanted = new Set(missed.map((e) => `${e.caseId}@${e.version}`));
      const states = new Map<string, CaseState>();
      for (const caseId of new Set(missed.map((e) => e.caseId).filter((id): id is string => id !== null))) {
        let state: CaseState | null = null;
        for (const stored of store.timeline(caseId)) {
          state = evolve(state, stored.event as CaseEvent);
          const key = `${caseId}@${stored.version}`;
          if (wanted.has(key)) states.set(key, state);
        }
      }
      const view = boardView();
      const rooms = store.rooms();
      return missed.map((stored, i) =>
        publication(stored, states.get(`${stored.caseId}@${stored.version}`) ?? null, i === missed.length - 1 ? rooms : null, view),
      );
    }

    // A burst of reconnecting boards asks for the same `since`: build its replay once per second.
    const replays = new Map<number, { lastSeq: number; builtAt: number; publications: Publication[] | null }>();
    function cachedReplay(since: number, current: number) {
      const cached = replays.get(since);
      if (cached && cached.lastSeq === current && Date.now() - cached.builtAt < 1000) return cached.publications;
      if (replays.size > 50) replays.clear();
      const publications = replay(since);
      replays.set(since, { lastSeq: current, builtAt: Date.now(), publications });
      return publications;
    }

    type Credentials = Pick<LiveClient, 'audience' | 'displayTokenId' | 'staffId' | 'sessionToken'>;
    function authenticate(request: FastifyRequest): Credentials | 'forbidden' | 'password_change_required' | null {
      // A board URL is a board, whatever else the browser holds: a coordinator signed in on the wall
      // screen's PC must not turn it into a screen full of names.
      const token = (request.query as { token?: unknown }).token;
      if (token !== undefined) {
        if (typeof token !== 'string' || token.length > 200) return null;
        const display = resolveDisplayToken(app.database.db, token, new Date());
        return display ? { audience: 'board', displayTokenId: display.id, staffId: null, sessionToken: null } : null;
      }
      if (!request.user) return null;
      if (request.passwordChangeRequired) return 'password_change_required';
      // The staff feed carries whole cases: an administrator manages accounts, not patients.
      if (!PATIENT_DATA_READERS.includes(request.user.role)) return 'forbidden';
      return { audience: 'staff', displayTokenId: null, staffId: request.user.id, sessionToken: request.cookies[SESSION_COOKIE] ?? null };
    }

    app.get('/api/live', { websocket: true, schema: { hide: true } }, (socket: WebSocket, request) => {
      const who = authenticate(request);
      if (who === null || typeof who === 'string') {
        // 4401 tells a screen to sign in again; 4403 that signing in again will not help.
        socket.close(who === null ? 4401 : 4403, who === null ? 'unauthenticated' : who);
        return;
      }
      const query = request.query as { batch?: string; since?: string };
      const client: LiveClient = { socket, ...who, lastSeq: 0, batch: query.batch === '1', alive: true };
      hub.add(client);
      // A client that already holds events up to `since` (a reconnecting board) skips the snapshot.
      const since = query.since !== undefined && /^\d{1,15}$/.test(query.since) ? Number(query.since) : null;
      if (since !== null) resume(client, since);
      else {
        const first = currentSnapshot(who.audience);
        client.lastSeq = first.seq;
        hub.send(client, first.text);
      }

      socket.on('message', (raw, isBinary) => {
        let message: { type?: unknown; since?: unknown };
        try {
          message = isBinary ? {} : JSON.parse(raw.toString());
        } catch {
          message = {};
        }
        if (message.type === 'resume' && Number.isSafeInteger(message.since) && (message.since as number) >= 0) {
          resume(client, message.since as number);
        } else if (message.type === 'ping') {
          hub.send(client, JSON.stringify({ type: 'pong', seq: app.database.store.lastSeq() }));
        } else {
          hub.send(client, JSON.stringify({ type: 'error', code: 'validation_failed', detail: 'expected {"type":"resume","since":<seq>}' }));
        }
      });
    });

    /**
     * Everything after `since` from the log, then live again. Runs synchronously, so no publication can
     * slip between the read and the client's new position; the hub skips what the client now holds.
     */
    function resume(client: LiveClient, since: number) {
      turnDay();
      const current = app.database.store.lastSeq();
      // A client still holding another day's list, or one from the future, starts again from a snapshot.
      const heldAt = since === 0 ? null : app.database.store.recordedAt(since);
      const sameDay = heldAt !== null && dayOf(heldAt, app.config.timezone) === dayOf(new Date(), app.config.timezone);
      const missed = since <= current && sameDay ? cachedReplay(since, current) : null;
      if (!missed) {
        const fresh = currentSnapshot(client.audience);
        client.lastSeq = fresh.seq;
        hub.send(client, fresh.text);
        return;
      }
      const messages = missed.map((p) => JSON.stringify(p[client.audience]));
      if (client.batch) hub.send(client, `{"type":"batch","messages":[${messages.join(',')}]}`);
      else for (const m of messages) hub.send(client, m);
      client.lastSeq = current;
      hub.send(client, JSON.stringify({ type: 'resumed', seq: current, now: new Date().toISOString() }));
    }
  },
  { name: 'live', dependencies: ['database', 'auth', 'settings'] },
);
