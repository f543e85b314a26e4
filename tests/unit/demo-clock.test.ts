import { describe, expect, it } from 'vitest';
import { dayOf } from '../../shared';
import { demoClock } from '../../server/demo/demo-day';

const PARIS = 'Europe/Paris';
// The demo's cases run from four hours before its clock to an hour and a half after.
const EARLIEST = -240;
const LATEST = 90;
const paris = (wall: string) => Date.parse(`${wall}+01:00`);

describe('the demo day is on the unit’s today whatever the hour it is loaded at', () => {
  it('given 10:00 in Paris, counts from now and books every case at its minute', () => {
    const now = paris('2026-12-01T10:00:00');
    const clock = demoClock(now, PARIS, LATEST);
    expect(clock.anchor).toBe(now);
    expect(clock.scheduledAt(EARLIEST).toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(clock.scheduledAt(LATEST).toISOString()).toBe('2026-12-01T10:30:00.000Z');
  });

  it('given 23:40 in Paris, counts from early enough that the last case is before midnight, and never from later than now', () => {
    const now = paris('2026-12-01T23:40:00');
    const clock = demoClock(now, PARIS, LATEST);
    expect(clock.anchor).toBeLessThan(now);
    expect(dayOf(clock.scheduledAt(LATEST), PARIS)).toBe('2026-12-01');
    expect(dayOf(clock.scheduledAt(EARLIEST), PARIS)).toBe('2026-12-01');
    // A step of minute 0 is not in the future.
    expect(clock.at(0).getTime()).toBeLessThanOrEqual(now);
  });

  it('given 01:00 in Paris, books the cases of the evening before just past midnight, in their order, their steps keeping their hours', () => {
    const now = paris('2026-12-02T01:00:00');
    const clock = demoClock(now, PARIS, LATEST);
    expect(clock.anchor).toBe(now);
    const booked = [EARLIEST, -150, -90, -60, -45, 0, LATEST].map((m) => clock.scheduledAt(m));
    expect(booked.map((d) => dayOf(d, PARIS))).toEqual(Array(7).fill('2026-12-02'));
    expect(booked.map((d) => d.getTime())).toEqual([...booked.map((d) => d.getTime())].sort((a, b) => a - b));
    // The admission four hours ago stays four hours ago, on the evening before.
    expect(dayOf(clock.at(EARLIEST), PARIS)).toBe('2026-12-01');
  });
});
