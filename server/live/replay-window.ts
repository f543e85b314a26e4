import type { StoredEvent } from '../../db/event-store';
import type { StoreReads } from '../../db/store';
import { statesAfter, type CaseEvent, type CaseState, type Room } from '../../shared';
import type { Audience, Publication } from './hub';
import { publication, type BoardView } from './messages';

interface Entry {
  stored: StoredEvent;
  state: CaseState | null;
  staff?: string;
  board?: string;
  /** The board view `board` was shaped with: a board case's alerts and timers move with the clock. */
  boardEpoch?: number;
  /**
   * Bytes of this entry's frame per audience, counted when first serialised. A board frame shaped
   * again later has other alerts, hardly another size.
   */
  bytes: Partial<Record<Audience, number>>;
}

// Board frames carry alerts computed at a given instant: they are shaped again at most once a second,
// as the snapshot cache does.
const VIEW_TTL_MS = 1000;

/**
 * The most recent events of the log, each with its case as it stood right after it, held in memory
 * from what was published (read back from the database only at the first resume, or when events were
 * stored that never came through `add`). A resume is then a slice of frames each serialised once per
 * audience (boards' once a second), so its cost is the frames it sends, whatever the number of sockets
 * asking and whatever `since` they ask from; and the replay is what the database would give: the
 * events after `since` in seq order, the current rooms on the last one.
 *
 * Reading the log is `catchUp`, the one asynchronous step; `replay` then slices what the window holds,
 * synchronously, so a caller sends those frames and moves the client's mark with no publication between.
 */
export class ReplayWindow {
  #entries: Entry[] = [];
  /** Latest state per case among the entries, to fold an event read from the database without its whole timeline. */
  #latest = new Map<string, CaseState>();
  #loaded = false;
  #view: { epoch: number; builtAt: number; view: BoardView } | null = null;
  #epochs = 0;
  #tail: { seq: number; epoch: number; frames: Partial<Record<Audience, string>> } | null = null;

  constructor(
    private readonly store: StoreReads,
    /** More events missed than this and the client gets a snapshot instead. */
    private readonly limit: number,
    private readonly boardView: () => BoardView,
  ) {}

  /** Committed events as they are published, in seq order. */
  add(publications: Publication[]) {
    if (!this.#loaded) return;
    for (const p of publications) {
      const last = this.#entries.at(-1);
      if (last && p.stored.seq <= last.stored.seq) continue;
      if (last && p.stored.seq !== last.stored.seq + 1) {
        // Something reached the log without being published here: read it from the database next time.
        this.#loaded = false;
        return;
      }
      this.#push(p.stored, p.state);
    }
    this.#trim();
  }

  /** The last seq the window holds, or null when it must read the log again (`catchUp`) before a replay. */
  get end(): number | null {
    return this.#loaded ? (this.#entries.at(-1)?.stored.seq ?? 0) : null;
  }

  /**
   * The frames for a client holding everything up to `since`, up to the window's end (`catchUp` first,
   * to the log's end); null when the window must be read again, when the client missed more than the
   * limit, or when its frames add up to more than `maxBytes` (it needs a snapshot). `rooms` are the
   * current rooms, shown on the last frame. Sizes are summed from the newest frame back and the count
   * stops once past `maxBytes`, so deciding costs at most `maxBytes` of serialising, once per frame.
   */
  replay(since: number, audience: Audience, rooms: Room[], maxBytes = Infinity): string[] | null {
    if (!this.#loaded) return null;
    const entries = this.#entries;
    const first = this.#firstAfter(since);
    // A window that was ever trimmed holds more than `limit` entries, so starting at its first entry
    // means more than `limit` missed; one never trimmed is the whole log.
    if (entries.length - first > this.limit) return null;
    if (first === entries.length) return [];
    const { epoch, view } = this.#currentView();
    const last = entries.length - 1;
    // Read at the replay rather than with the view: a room event of the last second must show on the last frame.
    const tail = this.#lastFrame(entries[last]!, audience, epoch, view, rooms);
    let bytes = Buffer.byteLength(tail);
    for (let i = last - 1; i >= first && bytes <= maxBytes; i--) bytes += this.#size(entries[i]!, audience, epoch, view);
    if (bytes > maxBytes) return null;
    const frames: string[] = [];
    for (let i = first; i < last; i++) frames.push(this.#frame(entries[i]!, audience, epoch, view));
    frames.push(tail);
    return frames;
  }

  #size(entry: Entry, audience: Audience, epoch: number, view: BoardView): number {
    return (entry.bytes[audience] ??= Buffer.byteLength(this.#frame(entry, audience, epoch, view)));
  }

  #firstAfter(since: number): number {
    let low = 0;
    let high = this.#entries.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.#entries[mid]!.stored.seq > since) high = mid;
      else low = mid + 1;
    }
    return low;
  }

  #frame(entry: Entry, audience: Audience, epoch: number, view: BoardView): string {
    if (audience === 'staff') return (entry.staff ??= JSON.stringify(publication(entry.stored, entry.state, null, view).staff));
    if (entry.boardEpoch !== epoch || entry.board === undefined) {
      entry.board = JSON.stringify(publication(entry.stored, entry.state, null, view).board);
      entry.boardEpoch = epoch;
    }
    return entry.board;
  }

  #lastFrame(entry: Entry, audience: Audience, epoch: number, view: BoardView, rooms: Room[]): string {
    if (this.#tail?.seq !== entry.stored.seq || this.#tail.epoch !== epoch) this.#tail = { seq: entry.stored.seq, epoch, frames: {} };
    return (this.#tail.frames[audience] ??= JSON.stringify(publication(entry.stored, entry.state, rooms, view)[audience]));
  }

  #currentView() {
    const now = Date.now();
    if (!this.#view || now - this.#view.builtAt >= VIEW_TTL_MS) {
      this.#view = { epoch: ++this.#epochs, builtAt: now, view: this.boardView() };
    }
    return this.#view;
  }

  /** Makes the window reach `current`: events committed but not yet published (or never published) are read from the log. */
  async catchUp(current: number): Promise<void> {
    const last = this.#entries.at(-1)?.stored.seq ?? 0;
    if (this.#loaded && last >= current) return;
    const missing = this.#loaded ? await this.store.eventsSince(last, this.limit + 2) : null;
    if (missing && missing.length <= this.limit + 1) {
      for (const stored of missing) {
        // What was published while the log was being read is already in.
        if (stored.seq !== (this.#entries.at(-1)?.stored.seq ?? 0) + 1) continue;
        this.#push(stored, await this.#stateAfter(stored));
      }
      this.#trim();
      return;
    }
    const events = await this.store.latestEvents(this.limit + 1);
    const folded = await foldStates(this.store, events);
    this.#entries = [];
    this.#latest.clear();
    this.#tail = null;
    for (const stored of events) this.#push(stored, folded.get(keyOf(stored)) ?? null);
    this.#loaded = true;
  }

  async #stateAfter(stored: StoredEvent): Promise<CaseState | null> {
    if (stored.caseId === null) return null;
    const before = this.#latest.get(stored.caseId);
    if (stored.version === 1) return statesAfter(null, [stored.event as CaseEvent])[0]!;
    if (before && stored.version !== null && before.version === stored.version - 1) return statesAfter(before, [stored.event as CaseEvent])[0]!;
    return (await foldStates(this.store, [stored])).get(keyOf(stored)) ?? null;
  }

  #push(stored: StoredEvent, state: CaseState | null) {
    this.#entries.push({ stored, state, bytes: {} });
    if (stored.caseId !== null && state) this.#latest.set(stored.caseId, state);
  }

  // Entries leave in bulk (one copy per `limit` events, not one per event); the window keeps at least limit + 1.
  #trim() {
    if (this.#entries.length <= 2 * (this.limit + 1)) return;
    const gone = this.#entries.splice(0, this.#entries.length - (this.limit + 1));
    for (const entry of gone) {
      if (entry.stored.caseId !== null && this.#latest.get(entry.stored.caseId) === entry.state) this.#latest.delete(entry.stored.caseId);
    }
  }
}

const keyOf = (stored: StoredEvent) => `${stored.caseId}@${stored.version}`;

/** Each case of `events` folded once from its timeline (the fold commands and a rebuild use), keeping its state at the versions `events` hold. */
async function foldStates(store: StoreReads, events: StoredEvent[]): Promise<Map<string, CaseState>> {
  const wanted = new Set(events.map(keyOf));
  const states = new Map<string, CaseState>();
  for (const caseId of new Set(events.map((e) => e.caseId).filter((id): id is string => id !== null))) {
    const timeline = await store.timeline(caseId);
    statesAfter(null, timeline.map((stored) => stored.event as CaseEvent)).forEach((state, i) => {
      const key = `${caseId}@${timeline[i]!.version}`;
      if (wanted.has(key)) states.set(key, state);
    });
  }
  return states;
}
