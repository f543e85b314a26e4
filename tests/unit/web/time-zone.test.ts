import { afterEach, describe, expect, it } from 'vitest';
import { clockTime, duration, nearestAt, unitDay, unitHourMinute, unitTimeToIso } from '$lib/format';
import { clock } from '$lib/state/clock.svelte';
import { unitZone } from '$lib/state/unit-zone.svelte';

// Paris changes its clocks on the last Sundays of March and October (2026: 29 March 02:00 → 03:00,
// 25 October 03:00 → 02:00). A nurse types times as the wall clock reads them; the record is UTC.
const SPRING = '2026-03-29';
const AUTUMN = '2026-10-25';
const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;

afterEach(() => {
  unitZone.current = 'Europe/Paris';
  clock.offset = 0;
});

describe('a time typed on the unit wall clock, as an instant', () => {
  it('reads Paris winter time as UTC+1 and summer time as UTC+2', () => {
    expect(unitTimeToIso(SPRING, '01:55')).toBe('2026-03-29T00:55:00.000Z');
    expect(unitTimeToIso(SPRING, '03:05')).toBe('2026-03-29T01:05:00.000Z');
    expect(unitTimeToIso(AUTUMN, '01:50')).toBe('2026-10-24T23:50:00.000Z');
    expect(unitTimeToIso(AUTUMN, '03:10')).toBe('2026-10-25T02:10:00.000Z');
  });

  it('gives back the time typed, on either side of both changes', () => {
    for (const day of [SPRING, AUTUMN, '2026-07-14', '2026-12-24'])
      for (const hm of ['00:00', '01:59', '03:00', '12:30', '23:59']) expect(unitHourMinute(unitTimeToIso(day, hm)), `${day} ${hm}`).toBe(hm);
  });

  it('takes 02:30 on the morning of the spring change, which the clock skipped, as the hour after', () => {
    expect(unitHourMinute(unitTimeToIso(SPRING, '02:30'))).toBe('03:30');
  });

  it('takes 02:30 on the morning of the autumn change, which the clock read twice, as one of those two instants', () => {
    expect(['2026-10-25T00:30:00.000Z', '2026-10-25T01:30:00.000Z']).toContain(unitTimeToIso(AUTUMN, '02:30'));
    expect(unitHourMinute(unitTimeToIso(AUTUMN, '02:30'))).toBe('02:30');
  });

  it('follows the unit zone the server names, not Paris', () => {
    unitZone.current = 'America/New_York';
    // New York changed on 8 March: by 29 March it is UTC−4.
    expect(unitTimeToIso(SPRING, '01:55')).toBe('2026-03-29T05:55:00.000Z');
  });
});

describe('back-dating a step across a clock change', () => {
  it('counts a freeze started 01:55 and ended 03:05 on 29 March as 10 minutes, not 70', () => {
    expect(minutesBetween(unitTimeToIso(SPRING, '01:55'), unitTimeToIso(SPRING, '03:05'))).toBe(10);
  });

  it('counts 01:50 to 03:10 on 25 October as 140 minutes: the hour from 02:00 is lived twice', () => {
    expect(minutesBetween(unitTimeToIso(AUTUMN, '01:50'), unitTimeToIso(AUTUMN, '03:10'))).toBe(140);
  });

  it('dates a time typed "today" on the server clock’s day in the unit, across midnight UTC', () => {
    // 23:30 UTC on 28 March is already 00:30 on the 29th in Paris: "01:55" is that night, not the next.
    clock.sync('2026-03-28T23:30:00.000Z');
    expect(unitDay(clock.current())).toBe(SPRING);
    expect(nearestAt('01:55')).toBe('2026-03-29T00:55:00.000Z');
    expect(minutesBetween(nearestAt('01:55'), nearestAt('03:05'))).toBe(10);
  });

  it('dates a time typed just after midnight for just before it on the evening before', () => {
    // 00:05 in Paris on 2 December (winter, UTC+1): "23:55" is ten minutes ago, on the 1st.
    clock.sync('2026-12-01T23:05:00.000Z');
    expect(nearestAt('23:55')).toBe('2026-12-01T22:55:00.000Z');
    expect(nearestAt('00:01')).toBe('2026-12-01T23:01:00.000Z');
  });

  it('dates a time typed just before midnight a little ahead for the next day, which the server refuses as in the future', () => {
    // 23:58 in Paris on 1 December: "00:02" is four minutes ahead, not twenty-three hours ago.
    clock.sync('2026-12-01T22:58:00.000Z');
    expect(nearestAt('00:02')).toBe('2026-12-01T23:02:00.000Z');
    expect(nearestAt('23:40')).toBe('2026-12-01T22:40:00.000Z');
  });

  it('counts the evening before the spring change as one calendar day back, though the day lasted 23 hours', () => {
    // 00:10 on 30 March (summer time, UTC+2): "23:50" is the 29th at 23:50 summer time.
    clock.sync('2026-03-29T22:10:00.000Z');
    expect(nearestAt('23:50')).toBe('2026-03-29T21:50:00.000Z');
  });

  it('shows each instant as the wall clock read it, and the elapsed time as lived', () => {
    expect(clockTime('2026-03-29T00:55:00.000Z', 'fr')).toBe('01:55');
    expect(clockTime('2026-03-29T01:05:00.000Z', 'fr')).toBe('03:05');
    expect(clockTime('2026-10-25T00:30:00.000Z', 'en')).toBe('02:30');
    expect(clockTime('2026-10-25T01:30:00.000Z', 'en')).toBe('02:30');
    expect(duration(Date.parse(unitTimeToIso(SPRING, '03:05')) - Date.parse(unitTimeToIso(SPRING, '01:55')))).toBe('10:00');
  });
});

describe('the unit day of an instant', () => {
  it('turns at midnight in Paris, not at midnight UTC, in winter and in summer', () => {
    expect(unitDay('2026-03-28T22:59:00.000Z')).toBe('2026-03-28');
    expect(unitDay('2026-03-28T23:00:00.000Z')).toBe(SPRING);
    expect(unitDay('2026-10-24T21:59:00.000Z')).toBe('2026-10-24');
    expect(unitDay('2026-10-24T22:00:00.000Z')).toBe(AUTUMN);
  });
});

describe('elapsed times', () => {
  it('are m:ss under an hour and h:mm:ss beyond, never negative', () => {
    expect(duration(59_999)).toBe('0:59');
    expect(duration(600_000)).toBe('10:00');
    expect(duration(3_725_000)).toBe('1:02:05');
    expect(duration(-5_000)).toBe('0:00');
  });
});
