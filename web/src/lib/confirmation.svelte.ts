import { completeCycles, isFinal, untreatedTargets, type CaseState, type CommandType } from '$shared';
import { language } from '$lib/i18n/language.svelte';

/**
 * Whether a tap must be confirmed before `type` is sent, and with what warning: null sends on one
 * tap, '' asks "Confirm?" alone, any other text is said with the question. Final commands (shared
 * FINAL_COMMANDS: discharge, cancel, transfer, abort) always ask; taking the probe out asks when a
 * planned target is still untreated, or when it is not the obvious next step.
 */
export function confirmationOf(type: CommandType, state: CaseState, primary: CommandType | null): string | null {
  if (isFinal(type)) return '';
  if (type !== 'remove_probe') return null;
  const untreated = untreatedTargets(state.plannedTargets, completeCycles(state).map((c) => c.target)).length;
  if (untreated > 0 && !state.aborted) return language.t('confirm.untreated', { count: untreated });
  return type === primary ? null : '';
}

/** A second tap sooner than this after the first is one double tap, not a confirmation. */
export const CONFIRM_AFTER_MS = 400;
/** An armed button that is not confirmed goes back to its plain state. */
export const ARMED_FOR_MS = 8000;

/**
 * The two-tap confirmation of one screen: the first tap on `key` arms it ("Confirm?"), a later tap
 * on the same key confirms. A tap within CONFIRM_AFTER_MS of arming is ignored, so a quick double
 * tap (or a bouncing touch screen) never sends a step that cannot be taken back.
 */
export class Arming<K> {
  armed = $state<K | null>(null);
  #since = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  tap(key: K, now = performance.now()): 'armed' | 'confirmed' | 'ignored' {
    if (this.armed === key) {
      if (now - this.#since < CONFIRM_AFTER_MS) return 'ignored';
      this.disarm();
      return 'confirmed';
    }
    this.armed = key;
    this.#since = now;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.disarm(), ARMED_FOR_MS);
    return 'armed';
  }

  disarm() {
    this.armed = null;
    clearTimeout(this.#timer);
  }
}
