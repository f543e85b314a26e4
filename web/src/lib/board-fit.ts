import type { Attachment } from 'svelte/attachments';

/**
 * The largest size in [min, max] (to `step`) for which `fits(size)` holds, by bisection; `fits` is
 * taken to be monotonic (smaller type never takes more room). min when nothing fits.
 */
export function largestFitting(min: number, max: number, step: number, fits: (size: number) => boolean): number {
  if (fits(max)) return max;
  let low = min;
  let high = max;
  while (high - low > step) {
    const mid = Math.round((low + high) / 2 / step) * step;
    if (mid <= low || mid >= high) break;
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

export interface AutoFitOptions {
  /** Font size bounds, px. */
  min: number;
  max: number;
  /** Whether the content fits at the node's current font size (read the layout, e.g. scrollHeight). */
  fits: (node: HTMLElement) => boolean;
  /**
   * The elements whose size follows the content (cards, headers that wrap), watched for size changes
   * so a line that wraps is caught without watching every text change. Default: the node's children.
   */
  watch?: (node: HTMLElement) => Iterable<Element>;
  /** How long a larger size must keep fitting before the type grows, ms. */
  growAfterMs?: number;
}

/** By default the type grows back only after this long; it shrinks at once. */
export const GROW_AFTER_MS = 1500;

/**
 * Sets the node's font size to the largest that lets its content fit, and again whenever the space
 * or the structure changes (a patient arrives, an alert appears, a card's lines wrap, the window is
 * resized). A wall screen has nobody to scroll: the fewer the patients, the larger they are written.
 * Timer ticks ("9 min" → "10 min") are text changes and are not watched, so the wall does not jump
 * at every tick. It shrinks at once, so nothing is ever cut, and grows only once the larger size has
 * kept fitting for a while, so a card that comes and goes does not make the rooms pump. Each fit
 * measures the real layout in one task, so the wall never paints a size that overflows.
 */
export function autoFit(options: AutoFitOptions): Attachment<HTMLElement> {
  return (node) => {
    const growAfter = options.growAfterMs ?? GROW_AFTER_MS;
    const watch = options.watch ?? ((n: HTMLElement) => n.children);
    let frame = 0;
    let growth: ReturnType<typeof setTimeout> | undefined;
    let size: number | null = null;

    const best = () =>
      largestFitting(options.min, options.max, 0.5, (px) => {
        node.style.fontSize = `${px}px`;
        return options.fits(node);
      });
    const apply = (px: number) => {
      size = px;
      node.style.fontSize = `${px}px`;
      node.dataset.fitted = String(px);
    };
    const fit = () => {
      frame = 0;
      const target = best();
      if (size === null || target <= size) {
        clearTimeout(growth);
        growth = undefined;
        apply(target);
        return;
      }
      // Larger would fit: stay as painted for now, and grow if it still fits later.
      node.style.fontSize = `${size}px`;
      growth ??= setTimeout(() => {
        growth = undefined;
        apply(best());
      }, growAfter);
    };
    const later = () => {
      frame ||= requestAnimationFrame(fit);
    };

    const resized = new ResizeObserver(later);
    const observeAll = () => {
      resized.disconnect();
      resized.observe(node);
      if (node.parentElement) resized.observe(node.parentElement);
      for (const el of watch(node)) resized.observe(el);
    };
    // Cards come and go: structure only. Text (characterData) is left out on purpose, see above.
    const changed = new MutationObserver(() => {
      observeAll();
      later();
    });
    changed.observe(node, { childList: true, subtree: true });
    observeAll();
    fit();
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(growth);
      resized.disconnect();
      changed.disconnect();
    };
  };
}
