import type { StoreReads, StoredEvent } from '../../db/store';
import { roomChange, statesAfter, type CaseEvent, type CaseState } from '../../shared';
import type { Publication } from './hub';
import { publication, type BoardView } from './messages';

// The cases whose latest state is kept to fold the next event without reading its timeline.
const MAX_CASES = 2000;

/**
 * Turns the log's rows, as the PostgreSQL feed delivers them (every instance's commits, in seq order,
 * each once), into the live hub's publications. An event this instance committed comes with the
 * publication its command built (its state, its rooms), remembered by `committed`; one from another
 * instance is folded onto the case's previous state, read from its timeline when unknown here, and,
 * when one of them moved a room, the current rooms go on the last publication of the run, as a command's
 * last frame carries them. The feed may also reach an own event before its command has handed over its
 * publication (the commit's notification can beat the command's return): folded the same way, it then
 * goes out as SQLite sends it, with rooms only when they moved.
 */
export class LogPublisher {
  readonly #committed = new Map<number, Publication>();
  readonly #latest = new Map<string, CaseState>();
  #delivered = 0;
  #chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: Pick<StoreReads, 'timeline' | 'rooms'>,
    private readonly boardView: () => BoardView,
    private readonly publish: (publications: Publication[]) => void,
    private readonly onError: (error: unknown) => void,
    from: number,
  ) {
    this.#delivered = from;
  }

  /** The last seq the feed has delivered (where it started, before any delivery). */
  get delivered() {
    return this.#delivered;
  }

  /** What this instance's commands committed: published when the feed reaches their seq, not before. */
  committed(publications: Publication[]) {
    for (const p of publications) if (p.seq > this.#delivered) this.#committed.set(p.seq, p);
  }

  /** The feed's delivery: shaped in order, one run after the other, even while a fold reads. */
  deliver(events: StoredEvent[]) {
    this.#chain = this.#chain.then(() => this.#publish(events)).catch(this.onError);
  }

  async #publish(events: StoredEvent[]) {
    const out: Publication[] = [];
    let roomsMoved = false;
    for (const stored of events) {
      const own = this.#committed.get(stored.seq);
      this.#committed.delete(stored.seq);
      this.#delivered = stored.seq;
      let state = own?.state ?? null;
      if (!own) {
        const fold = await this.#fold(stored);
        state = fold?.after ?? null;
        // A room event (a room declared ready), or a case event that took its patient in or out of one.
        if (!fold || roomChange(fold.before, fold.after)) roomsMoved = true;
      }
      if (state) this.#remember(state);
      out.push(own ?? publication(stored, state, null, this.boardView()));
    }
    if (roomsMoved && out.length > 0) {
      const last = out[out.length - 1]!;
      out[out.length - 1] = publication(last.stored, last.state, await this.store.rooms(), this.boardView());
    }
    this.publish(out);
  }

  /** The case's state before and after the event; null for an event of no case (a room's). */
  async #fold(stored: StoredEvent): Promise<{ before: CaseState | null; after: CaseState } | null> {
    if (stored.caseId === null || stored.version === null) return null;
    const event = stored.event as CaseEvent;
    if (stored.version === 1) return { before: null, after: statesAfter(null, [event])[0]! };
    const known = this.#latest.get(stored.caseId);
    if (known && known.version === stored.version - 1) return { before: known, after: statesAfter(known, [event])[0]! };
    const timeline = (await this.store.timeline(stored.caseId)).filter((e) => e.version !== null && e.version <= stored.version!);
    const states = statesAfter(null, timeline.map((e) => e.event as CaseEvent));
    return states.length > 0 ? { before: states.at(-2) ?? null, after: states.at(-1)! } : null;
  }

  #remember(state: CaseState) {
    this.#latest.delete(state.id);
    this.#latest.set(state.id, state);
    if (this.#latest.size > MAX_CASES) this.#latest.delete(this.#latest.keys().next().value!);
  }
}
