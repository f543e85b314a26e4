import { SvelteMap } from 'svelte/reactivity';
import { DEFAULT_SETTINGS, type Audience, type EventMessage, type LiveCase, type LiveMessage, type Room, type Settings } from '$shared';
import { nowIso } from '$lib/format';
import { unitZone } from '$lib/state/unit-zone.svelte';
import { clock } from '$lib/state/clock.svelte';

export interface LiveOptions {
  /** A wall screen's display token; staff connect with their session cookie instead. */
  token?: string;
  /** Called when the server closes with 4401 (session or token no longer valid). */
  onUnauthorized?: () => void;
  /**
   * Where the wall board keeps its last known state (localStorage), so a reload while the server is
   * unreachable paints it, under the "connection lost" banner. Only the board's view, which holds no
   * name, MRN or birth date, is ever kept: staff feeds pass none.
   */
  keepAs?: string;
}

interface KeptDay<A extends Audience> {
  savedAt: string;
  day: string | null;
  rooms: Room[];
  settings: Settings;
  cases: LiveCase<A>[];
}

const SAVE_AFTER_MS = 500;

// Backoff between reconnection attempts: quick at first (a server restart takes seconds), then
// every 10 s for as long as it takes. Never gives up: a wall screen has nobody to press reload.
const DELAYS_MS = [300, 1000, 2000, 4000, 8000, 10_000];
// Where the backoff starts after the server closed us for our own behaviour (4429, 4430): 8 s, past
// the 5 s a spent message budget keeps the screen's token or session refused.
const SLOW_RETRY_ATTEMPT = 4;
const PING_EVERY_MS = 20_000;
const PONG_WITHIN_MS = 10_000;
// A handshake that has not completed by then will not: captive Wi-Fi and half-open links leave a
// socket in CONNECTING for minutes, and nothing else would ever retry.
const OPEN_WITHIN_MS = 5_000;

// Staff cases carry a version; a board case carries none, and is never offered.
const versionOf = (item: object): number => ('version' in item && typeof item.version === 'number' ? item.version : 0);

/**
 * The day as the live feed tells it: folds the snapshot and every event into reactive maps, reconnects
 * forever and resumes from the last sequence number it holds, so nothing is missed or applied twice.
 */
export class LiveStore<A extends Audience> {
  connected = $state(false);
  /** When the connection dropped (ISO), null while connected or before the first connection. */
  lostAt = $state<string | null>(null);
  /** The server refused us (4401): a revoked display token or an expired session. */
  unauthorized = $state(false);
  /**
   * The server refused this account the feed (4403: an administrator on the patient feed). Signing in
   * again or retrying will not change that, so the store stops trying and the screen says so.
   */
  forbidden = $state(false);
  day = $state<string | null>(null);
  rooms = $state<Room[]>([]);
  /** The unit's settings as the server holds them; the shared defaults until the first snapshot. */
  settings = $state<Settings>(DEFAULT_SETTINGS);
  /** Server clock minus this device's clock (ms), measured on each snapshot and resume. */
  clockOffset = $state(0);
  readonly cases = new SvelteMap<string, LiveCase<A>>();
  /** Bumped on every snapshot so screens can tell a full refresh from single events. */
  snapshots = $state(0);
  seq = 0;

  #socket: WebSocket | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #ping: ReturnType<typeof setInterval> | null = null;
  #pongDeadline: ReturnType<typeof setTimeout> | null = null;
  #openDeadline: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;
  #listeners: ((message: EventMessage<A>) => void)[] = [];
  readonly #options: LiveOptions;

  #saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(options: LiveOptions = {}) {
    this.#options = options;
  }

  /** Paints the last state kept by this screen, as of when it was kept: the first snapshot replaces it. */
  #restore() {
    if (!this.#options.keepAs) return;
    try {
      const raw = localStorage.getItem(this.#options.keepAs);
      if (!raw) return;
      const kept = JSON.parse(raw) as KeptDay<A>;
      for (const c of kept.cases) this.cases.set(c.id, c);
      this.rooms = kept.rooms;
      this.day = kept.day;
      this.settings = kept.settings;
      unitZone.current = kept.settings.timeZone;
      this.lostAt = kept.savedAt;
    } catch {
      // Nothing usable kept: the screen waits for its first snapshot, as it always did.
    }
  }

  #keep() {
    const key = this.#options.keepAs;
    if (!key || this.#saveTimer) return;
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      const kept: KeptDay<A> = { savedAt: nowIso(), day: this.day, rooms: $state.snapshot(this.rooms) as Room[], settings: $state.snapshot(this.settings) as Settings, cases: [...this.cases.values()] };
      try {
        localStorage.setItem(key, JSON.stringify(kept));
      } catch {
        // Storage full or disabled: the board still works, it only cannot repaint from cache.
      }
    }, SAVE_AFTER_MS);
  }

  open() {
    this.#stopped = false;
    if (this.cases.size === 0) this.#restore();
    addEventListener('online', this.#retryNow);
    this.#connect();
  }

  close() {
    this.#stopped = true;
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = null;
    removeEventListener('online', this.#retryNow);
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000);
    }
    this.connected = false;
  }

  /** Every event as it arrives (after it has been folded), e.g. for a case's timeline. */
  onEvent(listener: (message: EventMessage<A>) => void): () => void {
    this.#listeners = [...this.#listeners, listener];
    return () => {
      this.#listeners = this.#listeners.filter((l) => l !== listener);
    };
  }

  /** A case the screen got from a command's answer, newer than what the feed has delivered so far. */
  offer(item: LiveCase<A>) {
    const held = this.cases.get(item.id);
    if (!held || versionOf(held) < versionOf(item)) this.cases.set(item.id, item);
  }

  #url(): string {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let query = 'batch=1';
    if (this.#options.token) query += `&token=${encodeURIComponent(this.#options.token)}`;
    if (this.seq > 0) query += `&since=${this.seq}`;
    return `${scheme}//${location.host}/api/live?${query}`;
  }

  #connect() {
    if (this.#stopped) return;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.#url());
    } catch {
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    this.#openDeadline = setTimeout(() => {
      if (socket.readyState !== WebSocket.OPEN) this.#abandon(socket);
    }, OPEN_WITHIN_MS);
    socket.onopen = () => {
      if (this.#openDeadline) clearTimeout(this.#openDeadline);
      this.#openDeadline = null;
      this.#attempt = 0;
      this.#startPinging(socket);
    };
    socket.onmessage = (frame) => {
      if (typeof frame.data !== 'string') return;
      let message: LiveMessage<A>;
      try {
        message = JSON.parse(frame.data) as LiveMessage<A>;
      } catch {
        return;
      }
      this.#apply(message);
    };
    socket.onclose = (close) => {
      if (this.#socket !== socket) return;
      this.#lost();
      if (close.code === 4401) {
        this.unauthorized = true;
        // A revoked screen must not go on painting the day from cache.
        if (this.#options.keepAs) localStorage.removeItem(this.#options.keepAs);
        this.#options.onUnauthorized?.();
        return;
      }
      if (close.code === 4403) {
        this.forbidden = true;
        return;
      }
      // 4429 (this screen sent too many messages) and 4430 (a newer socket of the same token or
      // session took this one's place): reconnect, but not at once, or two screens sharing one token
      // would take turns evicting each other several times a second.
      if (close.code === 4429 || close.code === 4430) this.#attempt = Math.max(this.#attempt, SLOW_RETRY_ATTEMPT);
      this.#scheduleReconnect();
    };
  }

  #lost() {
    this.#socket = null;
    this.#clearTimers();
    if (this.connected || this.lostAt === null) this.lostAt = nowIso();
    this.connected = false;
  }

  /** Gives up on a socket (stuck connecting, or superseded): it may never close by itself, so stop listening to it. */
  #detach(socket: WebSocket) {
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      socket.close(4000, 'abandoned');
    } catch {
      // A socket still connecting may refuse a close code; it is dropped either way.
    }
    if (this.#socket === socket) this.#lost();
  }

  #abandon(socket: WebSocket) {
    if (this.#stopped || this.#socket !== socket) return;
    this.#detach(socket);
    this.#scheduleReconnect();
  }

  #apply(message: LiveMessage<A>) {
    switch (message.type) {
      case 'batch':
        for (const inner of message.messages) this.#apply(inner);
        return;
      case 'snapshot':
        this.cases.clear();
        for (const c of message.cases) this.cases.set(c.id, c);
        this.rooms = message.rooms;
        this.day = message.day;
        if (message.settings) {
          this.settings = message.settings;
          unitZone.current = message.settings.timeZone;
        }
        this.#syncClock(message.now);
        this.seq = message.seq;
        this.snapshots += 1;
        this.#markConnected();
        this.#keep();
        return;
      case 'resumed':
        this.seq = Math.max(this.seq, message.seq);
        this.#syncClock(message.now);
        this.#markConnected();
        return;
      case 'event':
        if (message.seq <= this.seq) return;
        this.seq = message.seq;
        if (message.case) this.cases.set(message.case.id, message.case);
        if (message.rooms) this.rooms = message.rooms;
        for (const listener of this.#listeners) listener(message);
        this.#keep();
        return;
      case 'pong':
        if (this.#pongDeadline) clearTimeout(this.#pongDeadline);
        this.#pongDeadline = null;
        return;
      case 'error':
        return;
    }
  }

  // The device clock is one for the whole page: every timer reads the shared clock, which this corrects.
  #syncClock(serverNow: string | undefined) {
    if (serverNow) this.clockOffset = clock.sync(serverNow);
  }

  #markConnected() {
    this.connected = true;
    this.lostAt = null;
    this.unauthorized = false;
    this.forbidden = false;
  }

  // Flaky Wi-Fi can leave a socket that looks open but carries nothing: ask, and reconnect when no answer comes.
  #startPinging(socket: WebSocket) {
    this.#ping = setInterval(() => {
      if (socket.readyState !== WebSocket.OPEN) return;
      socket.send(JSON.stringify({ type: 'ping' }));
      this.#pongDeadline ??= setTimeout(() => this.#abandon(socket), PONG_WITHIN_MS);
    }, PING_EVERY_MS);
  }

  #scheduleReconnect() {
    if (this.#stopped) return;
    const base = DELAYS_MS[Math.min(this.#attempt, DELAYS_MS.length - 1)]!;
    this.#attempt += 1;
    this.#timer = setTimeout(() => this.#connect(), base + Math.random() * base * 0.2);
  }

  // The network is back: whatever the current socket is doing, it predates the change (and may be
  // dead without knowing it), so start a fresh attempt now rather than at the end of a backoff.
  #retryNow = () => {
    if (this.#stopped || this.forbidden) return;
    if (this.#socket) this.#detach(this.#socket);
    this.#clearTimers();
    this.#attempt = 0;
    this.#connect();
  };

  #clearTimers() {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#ping) clearInterval(this.#ping);
    if (this.#pongDeadline) clearTimeout(this.#pongDeadline);
    if (this.#openDeadline) clearTimeout(this.#openDeadline);
    this.#timer = this.#ping = this.#pongDeadline = this.#openDeadline = null;
  }
}
