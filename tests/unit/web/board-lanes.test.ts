import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, fold, toBoardCase, type BoardCase } from '$shared';
import type { Room } from '$lib/api/client';
import { largestFitting } from '$lib/board-fit';
import { boardLanes, liveAlerts } from '$lib/board-layout';
import { PATH, at, play, scheduleBody, type Step } from '../helpers/scenario';

const ROOMS: Room[] = [
  { id: 'r1', name: 'Salle 1', status: 'free', caseId: null, since: '2025-03-10T08:00:00.000Z' },
  { id: 'r2', name: 'Salle 2', status: 'free', caseId: null, since: '2025-03-10T08:00:00.000Z' },
];

/**
 * A case as the wall receives it right after its last step, played through the machine, scheduled at
 * `scheduledAt`.
 */
function boardCase(id: string, steps: Step[], scheduledAt = at(30)): BoardCase {
  const state = fold(play(steps, { body: scheduleBody({ scheduledAt }) }));
  return toBoardCase({ ...state, id }, state.lastOccurredAt, DEFAULT_SETTINGS);
}

const ids = (cases: BoardCase[]) => cases.map((c) => c.id);
// The unit day of T0 (10 March 2025, 09:00 in Paris).
const DAY = '2025-03-10';

describe('board lanes', () => {
  it('puts each patient in one lane by where they stand: waiting, in a room, observed, done', () => {
    const cases = [
      boardCase('scheduled', PATH.scheduled),
      boardCase('admitted', PATH.admitted),
      boardCase('ready', PATH.ready),
      boardCase('in-room', PATH.freezing),
      boardCase('observing', PATH.observing),
      boardCase('discharged', PATH.discharged),
      boardCase('cancelled', [{ type: 'cancel', reason: 'no_show' }]),
    ];
    const lanes = boardLanes(cases, ROOMS, DAY);
    expect(ids(lanes.admission).sort()).toEqual(['admitted', 'ready', 'scheduled']);
    expect(ids(lanes.byRoom.get('r1')!)).toEqual(['in-room']);
    expect(lanes.byRoom.get('r2')).toEqual([]);
    expect(ids(lanes.observation)).toEqual(['observing']);
    expect(ids(lanes.done).sort()).toEqual(['cancelled', 'discharged']);
    const placed = [...lanes.byRoom.values()].flat().length + lanes.admission.length + lanes.observation.length + lanes.done.length;
    expect(placed).toBe(cases.length);
  });

  it('orders each lane by scheduled time, whatever order the cases arrive in', () => {
    const cases = [boardCase('late', PATH.admitted, at(90)), boardCase('early', PATH.scheduled, at(10)), boardCase('middle', PATH.ready, at(50))];
    expect(ids(boardLanes(cases, ROOMS, DAY).admission)).toEqual(['early', 'middle', 'late']);
  });

  it('leaves out another day’s patients, but never one still in a room', () => {
    const yesterday = '2025-03-09T09:00:00.000Z';
    const cases = [boardCase('old-waiting', PATH.admitted, yesterday), boardCase('old-in-room', PATH.inRoom, yesterday), boardCase('today', PATH.admitted)];
    const lanes = boardLanes(cases, ROOMS, DAY);
    expect(ids(lanes.admission)).toEqual(['today']);
    expect(ids(lanes.byRoom.get('r1')!)).toEqual(['old-in-room']);
    // Before the server has said which day it is, nothing is left out.
    expect(ids(boardLanes(cases, ROOMS, null).admission).sort()).toEqual(['old-waiting', 'today']);
  });

  it('puts a patient whose room is no longer configured with the others rather than losing them', () => {
    const lanes = boardLanes([boardCase('in-room', PATH.inRoom)], [ROOMS[1]!], DAY);
    expect([...lanes.byRoom.values()].flat()).toEqual([]);
    expect(ids(lanes.observation)).toEqual(['in-room']);
  });
});

describe('alerts the board adds from its own clock', () => {
  it('adds a freeze running over once its planned time has passed, once, on top of the server’s', () => {
    const freezing = boardCase('f', PATH.freezing);
    const started = Date.parse(freezing.freeze!.startedAt);
    const planned = freezing.freeze!.plannedSeconds * 1000;
    const before = liveAlerts(freezing, started + planned - 1000, DEFAULT_SETTINGS);
    const after = liveAlerts(freezing, started + planned + 120_000, DEFAULT_SETTINGS);
    expect(after.length).toBeGreaterThan(before.length);
    const codes = after.map((a) => a.code);
    expect(new Set(codes).size).toBe(codes.length);
    // Asked again with the server's alert already on the case, it is not doubled.
    const again = liveAlerts({ ...freezing, alerts: after }, started + planned + 120_000, DEFAULT_SETTINGS);
    expect(again.map((a) => a.code).sort()).toEqual([...codes].sort());
  });
});

describe('fitting the wall type', () => {
  it('finds the largest size that fits, to the step, and the smallest when nothing does', () => {
    expect(largestFitting(10, 40, 0.5, (px) => px <= 23.2)).toBe(23);
    expect(largestFitting(10, 40, 0.5, () => true)).toBe(40);
    expect(largestFitting(10, 40, 0.5, () => false)).toBe(10);
  });

  it('measures a handful of sizes, not every step', () => {
    let measured = 0;
    largestFitting(8, 64, 0.5, (px) => (measured++, px <= 31));
    expect(measured).toBeLessThanOrEqual(8);
  });
});
