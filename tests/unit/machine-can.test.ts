import { describe, expect, it } from 'vitest';
import {
  ACTIVE_STAGES,
  COMMAND_TYPES,
  DEFAULT_SETTINGS,
  MACHINE,
  OTHER_PERMISSIONS,
  ROLES,
  ROLE_PERMISSIONS,
  STAGES,
  TRANSITIONS,
  can,
  decide,
  fold,
  nextStep,
  type CaseState,
  type Command,
  type Verdict,
} from '../../shared';
import { PATH, at, context, freeRooms, goodPadss, normalVitals, nurse, play, radiologist, type Step } from './helpers/scenario';

const stateOf = (path: Step[]): CaseState => fold(play(path));
const ruleOf = (v: Verdict) => (v.ok ? 'ok' : v.rejection.rule);
const codeOf = (v: Verdict) => (v.ok ? 'ok' : v.rejection.code);

describe('can(state, command, role): who, stage, then the rules', () => {
  it('given a freezing probe, when a nurse asks to end the freeze, then she is refused for her role; a radiologist may', () => {
    const freezing = stateOf(PATH.freezing);
    const nurseAsks = can(freezing, 'end_freeze', 'nurse');
    expect(ruleOf(nurseAsks)).toBe('role_not_allowed');
    expect(codeOf(nurseAsks)).toBe('forbidden');
    expect(can(freezing, 'end_freeze', 'radiologist')).toEqual({ ok: true });
  });

  it('given a role that may send it, when the stage does not take it, then the stage refusal names the design rule, or wrong_stage', () => {
    const freezing = stateOf(PATH.freezing);
    expect(ruleOf(can(freezing, 'remove_probe', 'radiologist'))).toBe('probe_still_frozen');
    expect(ruleOf(can(freezing, 'start_freeze', 'radiologist'))).toBe('freeze_already_running');
    const wrong = can(freezing, 'admit', 'nurse');
    expect(ruleOf(wrong)).toBe('wrong_stage');
    expect(codeOf(wrong)).toBe('not_allowed_in_stage');
    expect(ruleOf(can(stateOf(PATH.inRoom), 'cancel', 'nurse'))).toBe('cancel_too_late');
    expect(ruleOf(can(stateOf(PATH.discharged), 'correct_last', 'nurse'))).toBe('case_closed');
    // The same stage and role, once the cycle has thawed: the probe may come out.
    expect(can(stateOf(PATH.cycled), 'remove_probe', 'radiologist')).toEqual({ ok: true });
  });

  it('checks the role before the stage, so a nurse learns first that she may not', () => {
    expect(ruleOf(can(stateOf(PATH.scheduled), 'end_freeze', 'nurse'))).toBe('role_not_allowed');
  });

  it('given the right role and stage, when a rule on the case refuses, then it names the first one; once it holds, ok', () => {
    // In dressing without the sign-out, the way out of the room is refused by its rule.
    expect(ruleOf(can(stateOf(PATH.dressed), 'start_observation', 'nurse'))).toBe('sign_out_required');
    expect(can(stateOf(PATH.signedOut), 'start_observation', 'nurse')).toEqual({ ok: true });
    // Observation just started: discharge is refused by the first clinical criterion.
    const observing = stateOf(PATH.observing);
    expect(ruleOf(can(observing, 'discharge', 'nurse', { now: at(101) }))).toBe('observation_too_short');
    expect(can(stateOf(PATH.dischargeable), 'discharge', 'nurse', { now: at(116) })).toEqual({ ok: true });
  });

  it('given only the command type, skips the rules that read its fields; given the whole command, runs them', () => {
    const dischargeable = stateOf(PATH.dischargeable);
    const unticked = { type: 'discharge', escortConfirmed: false, instructionsGiven: true, occurredAt: at(116) } as const;
    expect(can(dischargeable, 'discharge', 'nurse', { now: at(116) })).toEqual({ ok: true });
    expect(ruleOf(can(dischargeable, unticked, 'nurse', { now: at(116) }))).toBe('escort_not_confirmed');
    expect(can(dischargeable, { ...unticked, escortConfirmed: true }, 'nurse', { now: at(116) })).toEqual({ ok: true });
  });

  it('given the whole command, checks its time after the stage and before the rules', () => {
    const dischargeable = stateOf(PATH.dischargeable);
    // Dated before the last event and missing the escort tick: the time is named, not the tick.
    const early = { type: 'discharge', escortConfirmed: false, instructionsGiven: true, occurredAt: at(105) } as const;
    expect(ruleOf(can(dischargeable, early, 'nurse', { now: at(116) }))).toBe('occurred_at_before_previous');
    expect(ruleOf(can(dischargeable, { ...early, occurredAt: at(116) }, 'nurse', { now: at(116) }))).toBe('escort_not_confirmed');
  });

  it('is what decide() answers: the same rule for the same command, role and moment', () => {
    const cases: [Step[], Command & { occurredAt?: string }, typeof nurse][] = [
      [PATH.freezing, { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' } as Command, nurse],
      [PATH.freezing, { type: 'remove_probe' }, radiologist],
      [PATH.dressed, { type: 'start_observation' }, nurse],
      [PATH.observing, { ...normalVitals, systolic: 40, diastolic: 90 } as Command, nurse],
      [PATH.observing, { ...goodPadss } as Command, nurse],
      [PATH.ready, { type: 'enter_room', roomId: 'r2' }, nurse],
      [PATH.ready, { type: 'enter_room', roomId: 'r1' }, nurse],
    ];
    for (const [path, command, actor] of cases) {
      const state = stateOf(path);
      const now = at(200);
      const ctx = context({ now, actor, rooms: freeRooms() });
      const decision = decide(command, state, ctx);
      const verdict = can(state, command, actor.role, { now, rooms: ctx.rooms, settings: DEFAULT_SETTINGS });
      expect(verdict.ok, command.type).toBe(decision.ok);
      if (!decision.ok && !verdict.ok) expect(verdict.rejection.rule, command.type).toBe(decision.rejection.rule);
    }
  });
});

describe('the machine table is whole', () => {
  it('has every command, each sent by at least one role and accepted in at least one stage', () => {
    expect(Object.keys(MACHINE).sort()).toEqual([...COMMAND_TYPES].sort());
    for (const command of COMMAND_TYPES) {
      expect(ROLES.some((r) => ROLE_PERMISSIONS[r].includes(command)), `${command} in the role table`).toBe(true);
      expect(TRANSITIONS.some((t) => t.command === command), `${command} in the stage table`).toBe(true);
    }
  });

  it('lists in the role table only what the machine (or the two non-case permissions) names', () => {
    for (const role of ROLES)
      for (const permission of ROLE_PERMISSIONS[role])
        expect(COMMAND_TYPES.includes(permission as never) || permission in OTHER_PERMISSIONS, `${role}: ${permission}`).toBe(true);
  });

  it('names a step only in stages that take it, for a role that may send it', () => {
    for (const command of COMMAND_TYPES) {
      const spec = MACHINE[command];
      for (const stage of spec.step?.in ?? []) expect(TRANSITIONS.some((t) => t.command === command && t.from === stage), `${command} in ${stage}`).toBe(true);
    }
  });

  it('gives every open case exactly one next step along the way, and a closed one none', () => {
    const paths = Object.values(Object.getOwnPropertyDescriptors(PATH)).map((d) => (d.get ? d.get.call(PATH) : d.value) as Step[]);
    for (const path of paths) {
      const state = stateOf(path);
      const matching = COMMAND_TYPES.filter((c) => {
        const step = MACHINE[c].step;
        return !!step && step.in.includes(state.stage) && (step.when?.(state, DEFAULT_SETTINGS) ?? true);
      });
      expect(matching.length, `${state.stage}: ${matching.join(', ')}`).toBe(ACTIVE_STAGES.includes(state.stage) ? 1 : 0);
      expect(nextStep(state)).toBe(matching[0] ?? null);
    }
  });

  it('refuses in a closed stage everything but the follow-up pain score and the procedure report', () => {
    const discharged = stateOf(PATH.discharged);
    const stillOpen: readonly string[] = ['record_pain_score', 'record_report_conclusion', 'sign_report'];
    for (const command of COMMAND_TYPES.filter((c) => !stillOpen.includes(c)))
      for (const role of ROLES) {
        const v = can(discharged, command, role);
        expect(v.ok, command).toBe(false);
        expect(['role_not_allowed', 'case_closed']).toContain(ruleOf(v));
      }
    expect(can(discharged, 'record_pain_score', 'nurse')).toEqual({ ok: true });
    // The radiologist often writes the report once the patient has gone home.
    expect(can(discharged, 'record_report_conclusion', 'radiologist')).toEqual({ ok: true });
    expect(ruleOf(can(discharged, 'record_report_conclusion', 'nurse'))).toBe('role_not_allowed');
    expect(STAGES.every((s) => TRANSITIONS.some((t) => t.from === s && t.command === 'record_pain_score'))).toBe(true);
  });
});
