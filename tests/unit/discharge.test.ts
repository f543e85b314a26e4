import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, VITAL_RANGES, dischargeBlockers, fold, translate } from '../../shared';
import { PATH, at, discharge, given, goodAldrete, goodPadss, normalVitals, nurse, play, radiologist, type Step } from './helpers/scenario';

// Observation starts at minute 100 in PATH.observing.
const observing = (...extra: Step[]) => play([...PATH.observing, ...extra]);
const vitalsAt = (m: number, over: Partial<Step> = {}) => ({ ...normalVitals, ...over, occurredAt: at(m) }) as Step;
const padssAt = (m: number, over: Partial<Step> = {}) => ({ ...goodPadss, ...over, occurredAt: at(m) }) as Step;

describe('discharge', () => {
  it('is allowed after 15 min with recent normal vitals, PADSS ≥ 9, escort and instructions', () => {
    given(observing(vitalsAt(110), padssAt(111))).at(at(115)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
  });

  it('measures observation on occurredAt, not on the server clock', () => {
    const events = observing(vitalsAt(110), padssAt(111));
    given(events).at(at(140)).when({ ...discharge, occurredAt: at(112) } as never).rejects('observation_too_short');
    given(events).at(at(114)).when(discharge as never).rejects('observation_too_short');
  });

  it('needs 30 min when sedated, both configurable', () => {
    const sedated = play([...PATH.inRoom, { type: 'give_sedation', drug: 'midazolam' }, ...PATH.observing.slice(PATH.inRoom.length), { ...goodAldrete, occurredAt: at(119) }, vitalsAt(120), padssAt(121)]);
    expect(fold(sedated).sedated).toBe(true);
    given(sedated).at(at(125)).when(discharge as never).rejects('observation_too_short');
    given(sedated).at(at(130)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
    const quick = { ...DEFAULT_SETTINGS, sedatedObservationMinutes: 20 };
    given(sedated).at(at(125)).withSettings(quick).when(discharge as never).then([{ type: 'PatientDischarged' }]);
  });

  it('needs vitals recorded during observation', () => {
    const beforeObs = play([...PATH.signedOut, vitalsAt(90), { type: 'start_observation', occurredAt: at(100) }, padssAt(111)]);
    given(beforeObs).at(at(116)).when(discharge as never).rejects('vitals_missing');
  });

  it('needs vitals within the last 15 minutes', () => {
    given(observing(vitalsAt(101), padssAt(102))).at(at(117)).when(discharge as never).rejects('vitals_stale');
    given(observing(vitalsAt(101), padssAt(102))).at(at(116)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
  });

  it.each([
    [{ heartRate: 45 }], [{ heartRate: 130 }], [{ systolic: 85 }], [{ systolic: 190 }], [{ spo2: 91 }],
  ])('needs vitals in the normal ranges (%j refused)', (over) => {
    given(observing(vitalsAt(110, over as Partial<Step>), padssAt(111))).at(at(116)).when(discharge as never).rejects('vitals_abnormal');
  });

  it('accepts the range limits (HR 50/120, systolic 90/180, SpO2 92)', () => {
    for (const over of [{ heartRate: 50, systolic: 90, spo2: 92 }, { heartRate: 120, systolic: 180, spo2: 100 }])
      given(observing(vitalsAt(110, over as Partial<Step>), padssAt(111))).at(at(116)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
  });

  it('needs a PADSS ≥ 9 recorded during observation, unless a radiologist overrides with a reason', () => {
    given(observing(vitalsAt(110))).at(at(116)).when(discharge as never).rejects('padss_missing');
    const low = observing(vitalsAt(110), padssAt(111, { pain: 0, activity: 1 } as Partial<Step>));
    given(low).at(at(116)).when(discharge as never).rejects('padss_too_low');
    given(observing(vitalsAt(110), padssAt(111, { pain: 2 } as Partial<Step>))).at(at(116)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
    given(low).by(nurse).when({ type: 'override_discharge_score', reason: 'Douleur chronique préexistante' }).rejects('role_not_allowed', 'forbidden');
    const overridden = play([...PATH.observing, vitalsAt(110), padssAt(111, { pain: 0, activity: 1 } as Partial<Step>),
      { type: 'override_discharge_score', reason: 'Douleur chronique préexistante', occurredAt: at(112), by: radiologist }]);
    given(overridden).at(at(116)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
  });

  describe('an override and a later PADSS', () => {
    const override = (m: number) => ({ type: 'override_discharge_score', reason: 'Douleur chronique préexistante', occurredAt: at(m), by: radiologist }) as Step;
    const low = { pain: 0, activity: 1 } as Partial<Step>;
    const rescoredSteps = [...PATH.observing, vitalsAt(110), padssAt(111, low), override(112), padssAt(113, low)];

    it('a score recorded after the override needs a new signature: it was signed against the previous score', () => {
      given(play(rescoredSteps)).at(at(116)).when(discharge as never).rejects('padss_too_low');
      // A new override, signed after that score, lets the patient go.
      given(play([...rescoredSteps, override(114)])).at(at(116)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
      // A good score after the override discharges on its own merit.
      given(play([...PATH.observing, vitalsAt(110), padssAt(111, low), override(112), padssAt(113)])).at(at(116)).when(discharge as never)
        .then([{ type: 'PatientDischarged' }]);
      // Signed and rescored at the same instant: the score wins, the radiologist signs again.
      given(play([...PATH.observing, vitalsAt(110), padssAt(111, low), override(112), padssAt(112, low)])).at(at(116)).when(discharge as never)
        .rejects('padss_too_low');
    });

    it('stays on record: folding the stored events keeps what each one said, the rule reads the times', () => {
      const s = fold(play(rescoredSteps));
      expect(s.dischargeOverride).toMatchObject({ at: at(112), reason: 'Douleur chronique préexistante', by: { role: 'radiologist' } });
      expect(s.padss).toMatchObject({ at: at(113), total: 7 });
      expect(dischargeBlockers(s, at(116), DEFAULT_SETTINGS).map((b) => b.rule)).toEqual(['padss_too_low']);
      // The same log cut before the new score: the very same override event lifts the blocker.
      const signed = fold(play(rescoredSteps.slice(0, -1)));
      expect(signed.dischargeOverride).toEqual(s.dischargeOverride);
      expect(dischargeBlockers(signed, at(116), DEFAULT_SETTINGS)).toEqual([]);
    });
  });

  it('a clock running ahead does not shorten observation: measured at the server clock at the latest', () => {
    const events = observing(vitalsAt(110), padssAt(111));
    const now = new Date(Date.parse(at(114)) + 30_000).toISOString();
    const skewed = new Date(Date.parse(at(115)) + 20_000).toISOString(); // within the 60 s skew allowance
    given(events).at(now).when({ ...discharge, occurredAt: skewed } as never).rejects('observation_too_short');
    given(events).at(at(115)).when({ ...discharge, occurredAt: skewed } as never).then([{ type: 'PatientDischarged' }]);
  });

  it('needs the escort confirmed and the instructions given', () => {
    const ok = observing(vitalsAt(110), padssAt(111));
    given(ok).at(at(116)).when({ ...discharge, escortConfirmed: false } as never).rejects('escort_not_confirmed');
    given(ok).at(at(116)).when({ ...discharge, instructionsGiven: false } as never).rejects('instructions_not_given');
  });

  it('is not possible before observation', () => {
    given(play(PATH.dressed)).when(discharge as never).rejects('wrong_stage');
  });

  it('dischargeBlockers lists everything at once', () => {
    const rules = dischargeBlockers(fold(play(PATH.observing)), at(105), DEFAULT_SETTINGS).map((r) => r.rule);
    expect(rules).toEqual(['observation_too_short', 'vitals_missing', 'padss_missing']);
  });

  it('names the normal ranges from VITAL_RANGES in the refusal', () => {
    const [abnormal] = dischargeBlockers(fold(observing(vitalsAt(110, { spo2: 85 } as Partial<Step>), padssAt(111))), at(116), DEFAULT_SETTINGS);
    const { heartRate, systolic, spo2 } = VITAL_RANGES;
    expect(translate('en', abnormal!)).toBe(`Last vital signs out of range (HR ${heartRate.min}–${heartRate.max}, systolic ${systolic.min}–${systolic.max}, SpO2 ≥ ${spo2.min} %).`);
    expect(translate('fr', abnormal!)).toBe(`Dernières constantes hors normes (FC ${heartRate.min}–${heartRate.max}, PAS ${systolic.min}–${systolic.max}, SpO2 ≥ ${spo2.min} %).`);
  });
});
