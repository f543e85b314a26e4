import { describe, expect, it } from 'vitest';
import {
  ADMISSION_STAGES,
  CHECKLIST_STAGES,
  IN_ROOM_STAGES,
  SHEET_STAGES,
  STAGES,
  TERMINAL_STAGES,
  aldreteTotal,
  boardLaneOf,
  fold,
  initials,
  isAllowedIn,
  padssTotal,
  toBoardCase,
  DEFAULT_SETTINGS,
} from '../../shared';
import { PATH, at, play } from './helpers/scenario';

describe('stage groups', () => {
  it('puts every stage in one board lane: before the room, after it, or done', () => {
    for (const stage of STAGES) {
      const lane = boardLaneOf(stage);
      expect(lane === 'done', stage).toBe(TERMINAL_STAGES.includes(stage));
      expect(lane === 'admission', stage).toBe(ADMISSION_STAGES.includes(stage));
    }
    expect(boardLaneOf('observation')).toBe('observation');
  });

  it('keeps the groups consistent with the machine: the checklist is taken where it is filled in, the sheet never before observation', () => {
    for (const stage of CHECKLIST_STAGES) expect(isAllowedIn(stage, 'record_checklist'), stage).toBe(true);
    for (const stage of ADMISSION_STAGES) expect(isAllowedIn(stage, 'cancel'), stage).toBe(true);
    expect(SHEET_STAGES.some((s) => ADMISSION_STAGES.includes(s) || IN_ROOM_STAGES.includes(s))).toBe(false);
  });
});

describe('one initials, one score total', () => {
  it('writes initials the French way, whole letters, and "?" for a blank name', () => {
    expect(initials('Jeanne', 'Dupont')).toBe('J.D.');
    expect(initials(' élodie ', 'œuvre')).toBe('É.Œ.');
    expect(initials('𝓐nna', '')).toBe('𝓐.?.');
  });

  it('gives the board the same initials as the report function', () => {
    const state = fold(play(PATH.freezing));
    expect(toBoardCase(state, at(60), DEFAULT_SETTINGS).label).toBe(initials(state.patient.firstName, state.patient.lastName));
  });

  it('sums the five items of each score, and the fold stores that total', () => {
    expect(padssTotal({ vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 1, bleeding: 2 })).toBe(9);
    expect(aldreteTotal({ activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 1 })).toBe(9);
    const state = fold(play(PATH.dischargeable));
    expect(state.padss?.total).toBe(padssTotal(state.padss!));
  });
});
