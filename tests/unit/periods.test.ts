import { describe, expect, it } from 'vitest';
import { MAX_RANGE_DAYS, PERIOD_PRESETS, isoWeek, periodKey, periodsOf, presetRange } from '../../shared';

const daysBetween = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;

describe('ISO weeks', () => {
  it('start on Monday and number from the week holding the first Thursday, across year ends', () => {
    expect(isoWeek('2026-03-29')).toEqual({ year: 2026, week: 13, monday: '2026-03-23' });
    expect(isoWeek('2026-03-30')).toEqual({ year: 2026, week: 14, monday: '2026-03-30' });
    // 2027-01-01 is a Friday: it belongs to the last week of 2026, which has 53.
    expect(isoWeek('2027-01-01')).toEqual({ year: 2026, week: 53, monday: '2026-12-28' });
    // 2024-12-30 is a Monday in the week of 2025-01-01 (a Wednesday): week 1 of 2025.
    expect(isoWeek('2024-12-30')).toEqual({ year: 2025, week: 1, monday: '2024-12-30' });
    expect(periodKey('2026-01-05', 'week')).toBe('2026-W02');
  });
});

describe('the periods of a range', () => {
  it('by week: every ISO week touching the range, the first and last cut to it, DST Sunday in its own week', () => {
    expect(periodsOf('2026-03-25', '2026-04-08', 'week')).toEqual([
      { key: '2026-W13', from: '2026-03-25', to: '2026-03-29' },
      { key: '2026-W14', from: '2026-03-30', to: '2026-04-05' },
      { key: '2026-W15', from: '2026-04-06', to: '2026-04-08' },
    ]);
  });

  it('by month and by day: calendar months (a leap February whole), every day of the range', () => {
    expect(periodsOf('2028-01-15', '2028-03-02', 'month')).toEqual([
      { key: '2028-01', from: '2028-01-15', to: '2028-01-31' },
      { key: '2028-02', from: '2028-02-01', to: '2028-02-29' },
      { key: '2028-03', from: '2028-03-01', to: '2028-03-02' },
    ]);
    expect(periodsOf('2026-10-24', '2026-10-26', 'day').map((p) => p.key)).toEqual(['2026-10-24', '2026-10-25', '2026-10-26']);
    expect(periodsOf('2026-10-24', '2026-10-24', 'month')).toEqual([{ key: '2026-10', from: '2026-10-24', to: '2026-10-24' }]);
  });
});

describe('the ranges the Reports tab offers', () => {
  it('this month so far, last month whole (January from a March 31st, not February 31st), the last 3 and 12 months', () => {
    expect(presetRange('thisMonth', '2026-03-31')).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(presetRange('lastMonth', '2026-03-31')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetRange('lastMonth', '2026-01-10')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetRange('last3Months', '2026-01-10')).toEqual({ from: '2025-11-01', to: '2026-01-10' });
    expect(presetRange('last12Months', '2026-12-01')).toEqual({ from: '2026-01-01', to: '2026-12-01' });
  });

  it('never exceed the longest range a report accepts, even on the last day of a leap year', () => {
    for (const today of ['2028-12-31', '2026-12-31', '2028-02-29', '2026-07-15'])
      for (const preset of PERIOD_PRESETS) {
        const { from, to } = presetRange(preset, today);
        expect(from <= to).toBe(true);
        expect(daysBetween(from, to)).toBeLessThanOrEqual(MAX_RANGE_DAYS);
      }
    expect(daysBetween(...(Object.values(presetRange('last12Months', '2028-12-31')) as [string, string]))).toBe(366);
  });
});
