import { describe, expect, it } from 'vitest';
import { draftReport, fold, reportText, type Command, type Target } from '../../shared';
import { PATH, endFreeze, given, play, positionProbe, scheduleBody, startFreeze, type Step } from './helpers/scenario';

// A CT-guided case on two planned targets, with scanned probes, a dose and a complication: what the
// radiologist signs is drafted from this log.
const T5 = { nerve: 'intercostal', level: 'T5', side: 'left' } as const;
const T6 = { nerve: 'intercostal', level: 'T6', side: 'left' } as const;
const body = scheduleBody({ plannedTargets: [T5, T6], indicationNote: 'Douleur post-thoracotomie' });
const probe = (target: Target, lot: string): Step => ({ ...positionProbe, target, guidance: 'ct', device: { gtin: '04006381333931', lot, expiry: '2027-12-31' } }) as Step;
const cycle: Step[] = [startFreeze, endFreeze, { type: 'end_thaw' }];
const steps: Step[] = [
  ...PATH.anesthetised,
  probe(T5, 'LOT-A'),
  ...cycle,
  probe(T6, 'LOT-A'),
  ...cycle,
  { type: 'remove_probe' },
  { type: 'record_dose', modality: 'ct', equipment: 'Somatom', dlpMgyCm: 412, ctdiVolMgy: 11.2 } as Step,
  { type: 'record_complication', kind: 'pneumothorax', grade: 2 } as Step,
];
const conclusion = { type: 'record_report_conclusion', conclusion: 'Cryoneurolyse intercostale T5–T6 gauche réalisée.' } as Command;
const sign = (over: Record<string, unknown> = {}) => ({ type: 'sign_report', lang: 'fr', ...over }) as Command;
const options = { body };

describe('the procedure report drafted from the log', () => {
  it('says the indication, both targets, CT, the anaesthetic in mg, each target’s cycles, the lot, the DLP and machine, the complication with its grade, the operator', () => {
    const text = reportText(draftReport(fold(play(steps, options)), 'fr'));
    for (const expected of [
      'Compte rendu de cryoneurolyse',
      'Douleur post-thoracotomie',
      'Prévues\u00a0: Nerf intercostal T5 — Gauche, Nerf intercostal T6 — Gauche',
      'Traitées\u00a0: Nerf intercostal T5 — Gauche, Nerf intercostal T6 — Gauche',
      'Scanner',
      '50\u00a0mg',
      'Cycles sur Nerf intercostal T5 — Gauche',
      'Cycles sur Nerf intercostal T6 — Gauche',
      'minimum -80',
      'Lot LOT-A',
      'PDL (mGy·cm) 412',
      'IDSV (mGy) 11,2',
      'Somatom',
      'CIRSE 2',
      'Dr Rémi Radio',
      'Conclusion pas encore rédigée',
    ])
      expect(text, expected).toContain(expected);
    expect(reportText(draftReport(fold(play(steps, options)), 'en'))).toContain('DLP (mGy·cm) 412');
  });
});

describe('sign_report: the signed text is frozen; a later change is a new version with its reason', () => {
  it('report_conclusion_required: no signature before the conclusion', () => {
    given(play(steps, options)).when(sign()).rejects('report_conclusion_required');
    const s = given(play([...steps, conclusion as Step], options)).when(sign()).then([{ type: 'ReportSigned', data: { version: 1, lang: 'fr' } }]);
    expect(s.report!.signatures[0]!.text).toContain('Cryoneurolyse intercostale T5–T6 gauche réalisée.');
  });

  it('report_unchanged, then report_change_reason_required: a second version must change something and say why', () => {
    const signed = [...steps, conclusion as Step, sign() as Step];
    given(play(signed, options)).when(sign({ reason: 'Relecture' })).rejects('report_unchanged');
    const changed = [...signed, { type: 'record_report_conclusion', conclusion: 'Conclusion complétée : pneumothorax drainé.' } as Step];
    given(play(changed, options)).when(sign()).rejects('report_change_reason_required');
    const s = given(play(changed, options)).when(sign({ reason: 'Évolution du pneumothorax' })).then([{ type: 'ReportSigned', data: { version: 2 } }]);
    expect(s.report!.signatures.map((v) => [v.version, v.reason])).toEqual([[1, undefined], [2, 'Évolution du pneumothorax']]);
    // Version 1 keeps its words.
    expect(s.report!.signatures[0]!.text).not.toContain('pneumothorax drainé');
  });

  it('radiologist only, and not while the probe is in', () => {
    given(play([...PATH.probePlaced], options)).when(conclusion).rejects('wrong_stage', 'not_allowed_in_stage');
    given(play(PATH.discharged, options)).when(conclusion).then([{ type: 'ReportConclusionRecorded' }]);
  });
});
