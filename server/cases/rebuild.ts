import { performance } from 'node:perf_hooks';
import type { Store } from '../../db/store';
import { PROJECTION_VERSION, dayOf, statesAfter, type CaseEvent, type CaseState } from '../../shared';

export interface RebuildReport {
  cases: number;
  events: number;
  ms: number;
  projectionVersion: number;
}

/**
 * Refolds every case from its events and writes the projection rows again, in ONE transaction: the
 * stored states all change together or not at all, and no command runs in between (it waits for
 * the write lock). Only `cases` and the device and appointment indexes read off them are written;
 * the log is append-only, in the database too.
 */
export async function rebuildProjections(store: Store, timeZone: string, now = new Date()): Promise<RebuildReport> {
  const started = performance.now();
  const report = await store.transaction(async (tx) => {
    const folded: CaseState[] = [];
    let events = 0;
    // Read to the end before the first write: SQLite's connection is busy until the walk is over.
    for await (const stream of tx.caseStreams()) {
      events += stream.events.length;
      folded.push(statesAfter(null, stream.events.map((s) => s.event as CaseEvent)).at(-1)!);
    }
    const at = now.toISOString();
    for (const state of folded) {
      await tx.saveCase(state, dayOf(state.scheduledAt, timeZone), null, at);
      await tx.saveDevices(state);
      await tx.saveAppointments(state);
    }
    return { cases: folded.length, events };
  });
  return { ...report, ms: Math.round(performance.now() - started), projectionVersion: PROJECTION_VERSION };
}

/** The line a rebuild leaves in the log or on the terminal. */
export const describeRebuild = (r: RebuildReport) =>
  `rebuilt ${r.cases} case${r.cases === 1 ? '' : 's'} from ${r.events} event${r.events === 1 ? '' : 's'} in ${r.ms} ms (projection version ${r.projectionVersion})`;
