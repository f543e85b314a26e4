import type { CaseEvent } from './events';
import { evolve } from './evolve';
import type { CaseState } from './state';

/**
 * What the stored case state means: each projection row keeps the number it was folded under. Bump
 * it with any change to `evolve` that gives stored events another state (a new field, a new reading
 * of an old event): the next start sees older rows and refolds every case from its events.
 */
// 2: devices, the guidances used and the radiation doses joined the state.
export const PROJECTION_VERSION = 2;

/**
 * The state of a case after each of `events`, applied in order to `before` (null for a case's first
 * event). The one fold of a stream: a command's new events, the live replay and a rebuild all go
 * through it, so they cannot read a case two ways.
 */
export function statesAfter(before: CaseState | null, events: readonly CaseEvent[]): CaseState[] {
  const states: CaseState[] = [];
  let state = before;
  for (const event of events) {
    state = evolve(state, event);
    states.push(state);
  }
  return states;
}
