import { isKnownNerve, type Target } from '$shared';

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
