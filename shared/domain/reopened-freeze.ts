import { currentCycle, type CaseState } from './state';

/**
 * When "freeze ended" was corrected (a wrong temperature, a mis-tap), the freeze runs again on
 * screen although it really ended at the corrected time. Ending it again should record that time,
 * not the moment of the re-entry: this is the time to offer, or null when there is nothing to offer.
 */
export function reopenedFreezeEnd(state: CaseState): string | null {
  if (state.stage !== 'freezing') return null;
  const correction = state.corrections.at(-1);
  const running = currentCycle(state);
  if (correction?.correctedType !== 'FreezeEnded' || !correction.correctedOccurredAt || !running || running.freezeEndedAt !== null) return null;
  // A correction of an earlier cycle's end says nothing about this freeze.
  return Date.parse(correction.correctedOccurredAt) >= Date.parse(running.freezeStartedAt) ? correction.correctedOccurredAt : null;
}
