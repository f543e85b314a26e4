import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, decide, fold, nextStep, type Command } from '../../shared';
import { quantile } from '../../shared/domain/dose';
import { PATH, context, endFreeze, given, play, positionProbe, radiologist, signOut, startFreeze, type Step } from './helpers/scenario';

const underCt: Step = { ...positionProbe, guidance: 'ct' } as Step;
const underCbct: Step = { ...positionProbe, guidance: 'cone_beam_ct' } as Step;
const probeOut = (probe: Step): Step[] => [...PATH.anesthetised, probe, startFreeze, endFreeze, { type: 'end_thaw' }, { type: 'remove_probe' }];
const dressed = (probe: Step) => [...probeOut(probe), { type: 'apply_dressing' }] as Step[];
const ctDose = (over: Record<string, unknown> = {}) => ({ type: 'record_dose', modality: 'ct', equipment: 'Scanner salle 1', dlpMgyCm: 320, ctdiVolMgy: 9.5, ...over }) as Command;
const cbctDose = (over: Record<string, unknown> = {}) => ({ type: 'record_dose', modality: 'cone_beam_ct', equipment: 'Artis', dapGyCm2: 12.4, fluoroscopySeconds: 95, ...over }) as Command;

describe('dose_required: after CT or cone-beam CT guidance the sign-out waits for the dose', () => {
  it('CT: sign-out refused without the dose, allowed once it is recorded', () => {
    given(play(dressed(underCt))).when(signOut as Command).rejects('dose_required', 'rule_violated');
    given(play([...dressed(underCt), ctDose() as Step])).when(signOut as Command).then([{ type: 'SignOutConfirmed' }]);
  });
  it('cone-beam CT: the same, with its own figures', () => {
    given(play(dressed(underCbct))).when(signOut as Command).rejects('dose_required');
    given(play([...dressed(underCbct), cbctDose() as Step])).when(signOut as Command).then([{ type: 'SignOutConfirmed' }]);
  });
  it('ultrasound alone asks for no dose, and the next step says which comes first', () => {
    given(play(PATH.dressed)).when(signOut as Command).then([{ type: 'SignOutConfirmed' }]);
    expect(nextStep(fold(play(dressed(underCt))))).toBe('record_dose');
    expect(nextStep(fold(play([...dressed(underCt), ctDose() as Step])))).toBe('confirm_sign_out');
    expect(nextStep(fold(play(PATH.dressed)))).toBe('confirm_sign_out');
  });
  it('both modalities in one case: both doses before sign-out', () => {
    const both = [...PATH.anesthetised, underCt, startFreeze, endFreeze, { type: 'end_thaw' }, underCbct, { type: 'remove_probe' }, { type: 'apply_dressing' }] as Step[];
    given(play([...both, ctDose() as Step])).when(signOut as Command).rejects('dose_required');
    given(play([...both, ctDose() as Step, cbctDose() as Step])).when(signOut as Command).then([{ type: 'SignOutConfirmed' }]);
  });
});

describe('the dose as the console reads it', () => {
  it('dose_implausible: a figure outside what a guided act gives is a typo (each field, both sides)', () => {
    for (const [over, ok] of [
      [{ dlpMgyCm: 32000 }, { dlpMgyCm: 3200 }],
      [{ ctdiVolMgy: 950 }, { ctdiVolMgy: 95 }],
      [{ dlpMgyCm: 0 }, { dlpMgyCm: 1 }],
    ] as const) {
      given(play(probeOut(underCt))).when(ctDose(over)).rejects('dose_implausible');
      given(play(probeOut(underCt))).when(ctDose(ok)).then([{ type: 'DoseRecorded' }]);
    }
    given(play(probeOut(underCbct))).when(cbctDose({ dapGyCm2: 1240 })).rejects('dose_implausible');
    given(play(probeOut(underCbct))).when(cbctDose({ fluoroscopySeconds: 9500 })).rejects('dose_implausible');
    given(play(probeOut(underCbct))).when(cbctDose()).then([{ type: 'DoseRecorded', data: { dapGyCm2: 12.4, fluoroscopySeconds: 95 } }]);
  });

  it('dose_incomplete and dose_other_modality: CT gives DLP and CTDIvol, cone-beam CT the DAP and fluoroscopy time', () => {
    given(play(probeOut(underCt))).when(ctDose({ ctdiVolMgy: undefined })).rejects('dose_incomplete');
    given(play(probeOut(underCt))).when(ctDose({ dapGyCm2: 10 })).rejects('dose_other_modality');
    given(play(probeOut(underCbct))).when(cbctDose({ fluoroscopySeconds: undefined })).rejects('dose_incomplete');
    given(play(probeOut(underCt))).when(ctDose()).then([{ type: 'DoseRecorded', data: { modality: 'ct', dlpMgyCm: 320, ctdiVolMgy: 9.5 } }]);
  });

  it('dose_modality_not_used: no CT dose for a case guided by ultrasound alone', () => {
    given(play(PATH.probeRemoved)).when(ctDose()).rejects('dose_modality_not_used');
    given(play(probeOut(underCt))).when(ctDose()).then([{ type: 'DoseRecorded' }]);
  });

  it('equipment_unknown: when the unit lists its machines, the dose names one of that modality', () => {
    const equipment = [
      { name: 'Scanner salle 1', modality: 'ct' as const, roomId: 'r1' },
      { name: 'Artis', modality: 'cone_beam_ct' as const },
    ];
    const state = fold(play(probeOut(underCt)));
    const ctx = context({ now: state.lastOccurredAt, actor: radiologist, settings: DEFAULT_SETTINGS, equipment });
    const refused = decide(ctDose({ equipment: 'Artis' }), state, ctx);
    expect(refused.ok || refused.rejection.rule).toBe('equipment_unknown');
    expect(decide(ctDose(), state, ctx).ok).toBe(true);
    // With none listed yet, what was typed is kept.
    expect(decide(ctDose({ equipment: 'Somatom' }), state, context({ now: state.lastOccurredAt, actor: radiologist })).ok).toBe(true);
  });

  it('is recorded once the probe is out, never while it is in', () => {
    const frozen = [...PATH.anesthetised, underCt, startFreeze];
    given(play(frozen)).when(ctDose()).rejects('wrong_stage', 'not_allowed_in_stage');
    const s = given(play(probeOut(underCt))).when(ctDose()).then([{ type: 'DoseRecorded' }]);
    expect(s.doses).toEqual([expect.objectContaining({ modality: 'ct', equipment: 'Scanner salle 1', dlpMgyCm: 320, ctdiVolMgy: 9.5 })]);
  });
});

describe('quantile (median and 75th percentile, as reference levels are read)', () => {
  it('interpolates between ranks', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([10], 0.75)).toBe(10);
    expect(quantile([100, 200, 300, 400], 0.5)).toBe(250);
    expect(quantile([100, 200, 300, 400], 0.75)).toBe(325);
    expect(quantile([1, 2, 3, 4, 5], 0.75)).toBe(4);
  });
});
