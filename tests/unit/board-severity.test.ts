import { describe, expect, it } from 'vitest';
import {
  ALERT_CODES,
  ALERT_SEVERITY,
  DEFAULT_SETTINGS,
  bySeverity,
  fold,
  roomAlerts,
  toBoardCase,
  worstSeverity,
  type Alert,
} from '../../shared';
import { ConfigError, loadConfig } from '../../server/config';
import { PATH, at, play, type Step } from './helpers/scenario';

describe('alert severities, as shared data', () => {
  it('map every alert code once, a freeze overrun louder than a long wait', () => {
    expect(Object.keys(ALERT_SEVERITY).sort()).toEqual([...ALERT_CODES].sort());
    expect(ALERT_SEVERITY.freeze_overrun).toBe('critical');
    expect(ALERT_SEVERITY.vitals_abnormal).toBe('critical');
    expect(ALERT_SEVERITY.waiting_ready_too_long).toBe('info');
    expect(ALERT_SEVERITY.room_cleaning_too_long).toBe('info');
  });

  it('give the card its loudest severity and read the loudest first', () => {
    const wait: Alert = { code: 'waiting_ready_too_long' };
    const escort: Alert = { code: 'sedated_without_escort' };
    const freeze: Alert = { code: 'freeze_overrun' };
    expect(worstSeverity([])).toBeNull();
    expect(worstSeverity([wait])).toBe('info');
    expect(worstSeverity([wait, escort])).toBe('warning');
    expect(worstSeverity([wait, freeze, escort])).toBe('critical');
    expect(bySeverity([wait, escort, freeze]).map((a) => a.code)).toEqual(['freeze_overrun', 'sedated_without_escort', 'waiting_ready_too_long']);
  });
});

describe('a room cleaning for too long', () => {
  const settings = { ...DEFAULT_SETTINGS, roomCleaningAlertMinutes: 20 };
  const since = '2025-03-10T09:00:00.000Z';
  const minutesLater = (m: number) => new Date(Date.parse(since) + m * 60_000).toISOString();

  it('given a room cleaning since 9:00, when it is 9:20, then no alert yet', () => {
    expect(roomAlerts({ status: 'cleaning', since }, minutesLater(20), settings)).toEqual([]);
  });

  it('given the same room, when it is 9:21, then it is flagged from the moment the limit passed', () => {
    expect(roomAlerts({ status: 'cleaning', since }, minutesLater(21), settings)).toEqual([{ code: 'room_cleaning_too_long', since: minutesLater(20) }]);
  });

  it('given a free or occupied room for an hour, then never', () => {
    for (const status of ['free', 'occupied'] as const) expect(roomAlerts({ status, since }, minutesLater(60), settings)).toEqual([]);
  });

  it('follows the unit setting', () => {
    expect(roomAlerts({ status: 'cleaning', since }, minutesLater(11), { ...settings, roomCleaningAlertMinutes: 10 })).toHaveLength(1);
    expect(roomAlerts({ status: 'cleaning', since }, minutesLater(11), settings)).toHaveLength(0);
  });
});

describe('a complication on the board card', () => {
  it('carries the grade only, never the kind or the note', () => {
    const events = play([...PATH.inRoom, { type: 'record_complication', kind: 'hematoma', grade: 2, note: 'Hématome chez Mme Durand' } as Step]);
    const board = toBoardCase(fold(events), at(30), DEFAULT_SETTINGS);
    expect(board.complicationGrades).toEqual([2]);
    expect(JSON.stringify(board)).not.toMatch(/hematoma|Hématome|Durand/);
  });

  it('is empty with no complication recorded', () => {
    expect(toBoardCase(fold(play(PATH.inRoom)), at(30), DEFAULT_SETTINGS).complicationGrades).toEqual([]);
  });
});

describe('ROOM_CLEANING_ALERT_MINUTES', () => {
  it('defaults to 20, takes the unit value, refuses nonsense in one line', () => {
    expect(loadConfig({}).roomCleaningAlertMinutes).toBe(20);
    expect(loadConfig({ ROOM_CLEANING_ALERT_MINUTES: '35' }).roomCleaningAlertMinutes).toBe(35);
    for (const bad of ['0', '-5', '1.5', 'vingt']) expect(() => loadConfig({ ROOM_CLEANING_ALERT_MINUTES: bad }), bad).toThrow(ConfigError);
  });
});
