import { overrideStands } from './rules';
import type { Settings } from './settings';
import { caseTargets, completeCycles, madeIceBall, type CaseState } from './state';
import { sameTarget, untreatedTargets } from './targets';
import { MIN_ALDRETE } from './vitals';

// The two stages whose next step depends on more than the stage: the machine table asks these
// which of its commands is the step, so each stage has exactly one.

export type ProbePlacementStep = 'start_freeze' | 'position_probe' | 'remove_probe';

export function probePlacementStep(s: CaseState, settings: Settings): ProbePlacementStep {
  if (s.aborted) return 'remove_probe';
  if (s.probe.stimulation === 'motor') return 'position_probe';
  if (s.probe.status === 'positioned') return 'start_freeze';
  // A freeze that made no ice ball treated nothing: the probe is where it was, freeze again there.
  if (s.probe.status === 'idle' && s.cycles.length > 0 && !madeIceBall(s.cycles[s.cycles.length - 1]!)) return 'start_freeze';
  // The unit's usual number of cycles on the target the probe still sits on comes before moving on.
  const here = s.probe.target ? completeCycles(s).filter((c) => sameTarget(c.target, s.probe.target!)).length : 0;
  if (s.probe.status === 'idle' && here > 0 && here < settings.cyclesPerTarget) return 'start_freeze';
  const treated = completeCycles(s).map((c) => c.target);
  return untreatedTargets(caseTargets(s), treated).length > 0 ? 'position_probe' : 'remove_probe';
}

export type ObservationStep = 'record_vitals' | 'record_aldrete' | 'record_padss' | 'discharge';

export function observationStep(s: CaseState): ObservationStep {
  const start = s.observationStartedAt ?? '';
  if (!s.vitals.some((v) => v.at >= start)) return 'record_vitals';
  if (s.sedated && !(s.aldrete && s.aldrete.at >= start && s.aldrete.total >= MIN_ALDRETE)) return 'record_aldrete';
  if (!overrideStands(s) && !(s.padss && s.padss.at >= start)) return 'record_padss';
  return 'discharge';
}
