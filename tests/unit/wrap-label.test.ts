import { describe, expect, it } from 'vitest';
import { wrapLabel } from '../../web/src/lib/reports/wrap-label';

describe('chart labels are written whole, on several lines', () => {
  it('breaks a long target name at spaces, no line longer than the width', () => {
    const lines = wrapLabel('Nerf suprascapulaire (épaule) C5-C6 — Droite', 22);
    expect(lines.join(' ')).toBe('Nerf suprascapulaire (épaule) C5-C6 — Droite');
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(22);
  });

  it('keeps a short label on one line and a single long word whole', () => {
    expect(wrapLabel('Grade 2')).toEqual(['Grade 2']);
    expect(wrapLabel('Pneumothorax-controlatéral-tardif', 10)).toEqual(['Pneumothorax-controlatéral-tardif']);
    expect(wrapLabel('')).toEqual(['']);
  });
});
