import type { Target } from '$shared';

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
