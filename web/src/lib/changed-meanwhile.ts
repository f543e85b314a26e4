import type { TimelineEntry } from '$lib/api/client';
import { clockTime } from '$lib/format';
import { language } from '$lib/i18n/language.svelte';

/**
 * What others recorded after the version this screen acted on, one sentence each
 * ("Congélation démarrée par Dr Roche à 10:42"), oldest first: what a refused, stale tap is told.
 */
export function changedMeanwhile(timeline: readonly TimelineEntry[], sinceVersion: number): string[] {
  return timeline
    .filter((e) => e.version > sinceVersion && e.actor)
    .sort((a, b) => a.seq - b.seq)
    .map((e) =>
      language.t('case.changedBy', {
        what: language.t(`event.${e.type}`),
        who: e.actor.name,
        time: clockTime(e.occurredAt, language.current),
      }),
    );
}
