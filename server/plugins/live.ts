import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { WebSocket } from 'ws';
import { fold, toBoardCase, type CaseEvent, type CaseState } from '../../shared';
import { resolveDisplayToken } from '../auth/display-tokens';
import { dayOf } from '../cases/day';
import { LiveHub, type Audience, type LiveClient, type Publication } from '../live/hub';
import { publication, type BoardView } from '../live/messages';

declare module 'fastify' {
  interface FastifyInstance {
    live: LiveHub;
    /** Pushes committed events to every live client; call only after the transaction committed. */
    publish(publications: Publication[]): void;
  }
}

/** A client further behind than this gets a fresh snapshot rather than a replay. */
export const RESUME_LIMIT = 1000;

export default fp(
  async function live(app: FastifyInstance) {
    const hub = new LiveHub({ maxBufferedBytes: app.config.liveMaxBufferBytes, heartbeatMs: 15_000 });
    app.decorate('live', hub);
    app.decorate('publish', (publications: Publication[]) => hub.publish(publications));
    app.addHook('preClose', async () => hub.close());

    await app.register(websocket, { options: { maxPayload: 4096 } });

    const boardView = (): BoardView => ({ now: new Date().toISOString(), settings: app.settings, labelMode: app.config.boardLabel });

    function snapshot(audience: Audience) {
      const { store } = app.database;
      const seq = store.lastSeq();
      const day = dayOf(new Date(), app.config.timezone);
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
    function currentSnapshot(audience: Audience) {
      const cached = snapshots.get(audience);
      if (cached && cached.seq === app.database.store.lastSeq() && Date.now() - cached.builtAt < 1000 && cached.day === dayOf(new Date(), app.config.timezone)) {
        return cached;
      }
      const fresh = snapshot(audience);
      snapshots.set(audience, fresh);
      return fresh;
    }

    /** The events after `since`, each with its case as it stood right after it, exactly as they went out live. */
    function replay(since: number): Publication[] | null {
      const { store } = app.database;
      const missed = store.eventsSince(since, RESUME_LIMIT + 1);
      if (missed.length > RESUME_LIMIT) return null;
      const statesByCase = new Map<string, CaseState[]>();
      for (const caseId of new Set(missed.map((e) => e.caseId).filter((id): id is string => id !== null))) {
        const timeline = store.timeline(caseId).map((e) => e.event as CaseEvent);
        statesByCase.set(caseId, timeline.map((_, i) => fold(timeline.slice(0, i + 1))));
      }
      const view = boardView();
      const rooms = store.rooms();
      return missed.map((stored, i) => {
        const state = stored.caseId ? (statesByCase.get(stored.caseId)?.[stored.version! - 1] ?? null) : null;
        return publication(stored, state, i === missed.length - 1 ? rooms : null, view);
      });
    }

    function authenticate(request: FastifyRequest): Pick<LiveClient, 'audience' | 'displayTokenId' | 'staffId'> | null {
      if (request.user) return { audience: 'staff', displayTokenId: null, staffId: request.user.id };
      const token = (request.query as { token?: unknown }).token;
      if (typeof token !== 'string' || token.length > 200) return null;
      const display = resolveDisplayToken(app.database.db, token, new Date());
      return display ? { audience: 'board', displayTokenId: display.id, staffId: null } : null;
    }

    app.get('/api/live', { websocket: true, schema: { hide: true } }, (socket: WebSocket, request) => {
      const who = authenticate(request);
      if (!who) {
        socket.close(4401, 'unauthenticated');
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
      const current = app.database.store.lastSeq();
      const missed = since <= current ? replay(since) : null;
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
