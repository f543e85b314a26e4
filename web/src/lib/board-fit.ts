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
}

/**
 * Sets the node's font size to the largest that lets its content fit, and again whenever the space
 * or the content changes (a patient arrives, an alert appears, the window is resized). A wall screen
 * has nobody to scroll: the fewer the patients, the larger they are written. Each fit measures the
 * real layout in one task, so the wall never paints a size that overflows.
 */
export function autoFit(options: AutoFitOptions): Attachment<HTMLElement> {
  return (node) => {
    let frame = 0;
    const fit = () => {
      frame = 0;
      const size = largestFitting(options.min, options.max, 0.5, (px) => {
        node.style.fontSize = `${px}px`;
        return options.fits(node);
      });
      node.style.fontSize = `${size}px`;
      node.dataset.fitted = String(size);
    };
    const later = () => {
      frame ||= requestAnimationFrame(fit);
    };
    const resized = new ResizeObserver(later);
    resized.observe(node);
    if (node.parentElement) resized.observe(node.parentElement);
    // Text and cards change without the box changing size (the content just overflows it).
    const changed = new MutationObserver(later);
    changed.observe(node, { childList: true, subtree: true, characterData: true });
    fit();
    return () => {
      cancelAnimationFrame(frame);
      resized.disconnect();
      changed.disconnect();
    };
  };
}
