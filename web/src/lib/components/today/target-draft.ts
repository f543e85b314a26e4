import { isKnownNerve, sameTarget, type Target } from '$shared';

/** A planned target as the coordinator types it: a listed nerve, or "other" plus the nerve's name. */
export interface TargetDraft {
  nerve: string;
  freeNerve: string;
  level: string;
  side: string;
}

export const emptyTarget = (): TargetDraft => ({ nerve: '', freeNerve: '', level: '', side: '' });

export function toTarget(d: TargetDraft): Target {
  const nerve = d.nerve === 'other' && d.freeNerve.trim() ? d.freeNerve.trim() : d.nerve;
  return { nerve, side: d.side as Target['side'], ...(d.level.trim() ? { level: d.level.trim() } : {}) };
}

/** A planned target back into the editor: a nerve not in the list becomes "other" with its name. */
export function fromTarget(t: Target): TargetDraft {
  const known = isKnownNerve(t.nerve);
  return { nerve: known ? t.nerve : 'other', freeNerve: known ? '' : t.nerve, level: t.level ?? '', side: t.side };
}

// The planned targets as one draft value (a form's field a colleague may change meanwhile), and back.
export const targetsValue = (drafts: TargetDraft[]): string => JSON.stringify(drafts.map(toTarget));
export const targetsOfValue = (value: string): TargetDraft[] => (JSON.parse(value) as Target[]).map(fromTarget);

/** Whether the edited targets differ from the plan, in order: a form sends them only then, so the timeline says what moved. */
export const targetsDiffer = (edited: Target[], planned: readonly Target[]): boolean =>
  edited.length !== planned.length || edited.some((t, i) => !sameTarget(t, planned[i]!));
