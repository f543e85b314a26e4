import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  DOSE_WARNING_FRACTION,
  LOCAL_ANESTHETIC_MAXIMUMS,
  alertsFor,
  allergyConflict,
  anesthesiaDoseCheck,
  anestheticMg,
  blockers,
  doseCheck,
  fold,
  maxDoseMg,
  nextActions,
  nextStep,
  sedationAllergen,
  sedationAllergyOnFile,
  ruleText,
  translate,
} from '../../shared';
import {
  PATH,
  at,
  coordinator,
  discharge,
  endFreeze,
  given,
  goodAldrete,
  goodPadss,
  localAnesthesia,
  normalVitals,
  nurse,
  play,
  positionProbe,
  radiologist,
  scheduleBody,
  signOut,
  startFreeze,
  timeOut,
  type Step,
} from './helpers/scenario';

// The second and third moments of the HAS interventional-radiology checklist: the time-out just
// before the first puncture, the sign-out before the patient leaves the room. Each rule is shown
// refused, then allowed, with the same payload shape.
describe('time-out (confirm_time_out)', () => {
  const confirm = (over: Record<string, unknown> = {}) => ({ ...timeOut, ...over }) as never;

  it('time_out_incomplete: every item is confirmed aloud', () => {
    for (const item of ['identityConfirmed', 'procedureConfirmed', 'allergiesReviewed', 'anticoagulationReviewed', 'imagingReviewed', 'equipmentChecked'])
      given(play(PATH.inRoom)).when(confirm({ [item]: false })).rejects('time_out_incomplete', 'rule_violated');
    given(play(PATH.inRoom)).when(confirm()).then([{ type: 'TimeOutConfirmed' }]);
  });

  it('a site that cannot be marked is a fact, not a missing item', () => {
    const s = given(play(PATH.inRoom)).when(confirm({ siteMarked: false })).then([{ type: 'TimeOutConfirmed', data: { siteMarked: false } }]);
    expect(s.timeOut).toMatchObject({ siteMarked: false, by: { role: 'nurse' } });
  });

  it('time_out_targets_mismatch: the targets read out are exactly the planned ones', () => {
    given(play(PATH.inRoom)).when(confirm({ targets: [{ nerve: 'intercostal', level: 'T5', side: 'right' }] })).rejects('time_out_targets_mismatch');
    given(play(PATH.inRoom)).when(confirm({ targets: [{ nerve: 'intercostal', side: 'left' }] })).rejects('time_out_targets_mismatch');
    given(play(PATH.inRoom)).when(confirm({ targets: [] })).rejects('time_out_targets_mismatch');
    given(play(PATH.inRoom))
      .when(confirm({ targets: [{ nerve: 'intercostal', level: 'T5', side: 'left' }, { nerve: 'genicular', side: 'right' }] }))
      .rejects('time_out_targets_mismatch');
    given(play(PATH.inRoom)).when(confirm({ targets: [{ nerve: 'intercostal', level: 'T5', side: 'left' }] })).then([{ type: 'TimeOutConfirmed' }]);
  });

  it('several targets may be read in any order', () => {
    const plannedTargets = [{ nerve: 'genicular', side: 'right' }, { nerve: 'intercostal', level: 'T5', side: 'left' }] as const;
    const events = play(PATH.inRoom, { body: scheduleBody({ plannedTargets: [...plannedTargets] }) });
    given(events).when(confirm({ targets: [plannedTargets[1], plannedTargets[0]] })).then([{ type: 'TimeOutConfirmed' }]);
    given(events).when(confirm({ targets: [plannedTargets[0]] })).rejects('time_out_targets_mismatch');
  });

  it('only in the room, before any puncture, by a radiologist or a nurse', () => {
    given(play(PATH.ready)).when(confirm()).rejects('wrong_stage', 'not_allowed_in_stage');
    given(play(PATH.anesthetised)).when(confirm()).rejects('wrong_stage', 'not_allowed_in_stage');
    given(play(PATH.inRoom)).by(coordinator).when(confirm()).rejects('role_not_allowed', 'forbidden');
    given(play(PATH.inRoom)).by(radiologist).when(confirm()).then([{ type: 'TimeOutConfirmed' }]);
  });

  it('time_out_required: no local anaesthetic without a time-out on record', () => {
    given(play(PATH.inRoom)).when(localAnesthesia as never).rejects('time_out_required');
    given(play(PATH.timedOut)).when(localAnesthesia as never).then([{ type: 'LocalAnesthesiaGiven' }]);
  });

  it('sedation may come before the time-out', () => {
    const sedated = given(play(PATH.inRoom)).when({ type: 'give_sedation', drug: 'Midazolam' }).then([{ type: 'SedationGiven' }]);
    expect(sedated.timeOut).toBeNull();
    expect(nextStep(sedated)).toBe('confirm_time_out');
  });

  it('the tablet offers the time-out as the next step after entering the room', () => {
    const s = fold(play(PATH.inRoom));
    expect(nextActions(s, 'nurse').primary).toBe('confirm_time_out');
    expect(nextActions(s, 'radiologist').primary).toBe('confirm_time_out');
    expect(nextActions(s, 'coordinator').primary).toBeNull();
    expect(nextActions(fold(play(PATH.timedOut)), 'radiologist').primary).toBe('give_local_anesthesia');
    // The anaesthetic is offered beside it, and refused with its reason until the time-out is on record.
    expect(nextActions(s, 'radiologist').others).toContain('give_local_anesthesia');
    expect(nextActions(s, 'radiologist').others).toContain('give_sedation');
  });

  it('correcting the time-out voids it: the anaesthetic is refused again', () => {
    const corrected = play([...PATH.timedOut, { type: 'correct_last', reason: 'cible relue trop vite' }]);
    expect(fold(corrected).timeOut).toBeNull();
    expect(fold(corrected).corrections.at(-1)?.correctedType).toBe('TimeOutConfirmed');
    given(corrected).when(localAnesthesia as never).rejects('time_out_required');
    given(play([...PATH.timedOut, { type: 'correct_last', reason: 'cible relue trop vite' }, timeOut])).when(localAnesthesia as never).then([{ type: 'LocalAnesthesiaGiven' }]);
  });
});

describe('sign-out (confirm_sign_out)', () => {
  const confirm = (over: Record<string, unknown> = {}) => ({ ...signOut, ...over }) as never;

  it('sign_out_incomplete: cycles, complications and instructions are each confirmed', () => {
    for (const item of ['cyclesReviewed', 'complicationsReviewed', 'instructionsHandedOver'])
      given(play(PATH.dressed)).when(confirm({ [item]: false })).rejects('sign_out_incomplete', 'rule_violated');
    given(play(PATH.dressed)).when(confirm()).then([{ type: 'SignOutConfirmed' }]);
  });

  it('only in dressing, by a radiologist or a nurse', () => {
    given(play(PATH.probeRemoved)).when(confirm()).rejects('wrong_stage', 'not_allowed_in_stage');
    given(play(PATH.dressed)).by(coordinator).when(confirm()).rejects('role_not_allowed', 'forbidden');
    given(play(PATH.dressed)).by(radiologist).when(confirm()).then([{ type: 'SignOutConfirmed' }]);
  });

  it('sign_out_required: the patient leaves the room for observation only after the sign-out', () => {
    given(play(PATH.dressed)).when({ type: 'start_observation' }).rejects('sign_out_required');
    given(play(PATH.signedOut)).when({ type: 'start_observation' }).then([{ type: 'ObservationStarted' }]);
  });

  it('the tablet offers the sign-out after the dressing', () => {
    expect(nextStep(fold(play(PATH.dressed)))).toBe('confirm_sign_out');
    expect(nextActions(fold(play(PATH.dressed)), 'nurse').others).not.toContain('start_observation');
    expect(nextStep(fold(play(PATH.signedOut)))).toBe('start_observation');
  });

  it('correcting the sign-out voids it', () => {
    const corrected = play([...PATH.signedOut, { type: 'correct_last', reason: 'complication oubliée' }]);
    expect(fold(corrected).signOut).toBeNull();
    given(corrected).when({ type: 'start_observation' }).rejects('sign_out_required');
  });
});

describe('laterality and plan at the probe (position_probe)', () => {
  const at5 = (side: 'left' | 'right' | 'bilateral' | 'midline') => ({ ...positionProbe, target: { nerve: 'intercostal', level: 'T5', side } }) as never;

  it('side_mismatch: the planned nerve on the other side is refused, even with a reason', () => {
    given(play(PATH.anesthetised)).when(at5('right')).rejects('side_mismatch');
    given(play(PATH.anesthetised)).when({ ...positionProbe, target: { nerve: 'intercostal', level: 'T5', side: 'right' }, offPlanReason: 'côté droit aussi' } as never).rejects('side_mismatch');
    given(play(PATH.anesthetised)).when(at5('bilateral')).rejects('side_mismatch');
    given(play(PATH.anesthetised)).when(at5('left')).then([{ type: 'ProbePositioned' }]);
  });

  it('the message names the side in words', () => {
    expect(ruleText('fr', 'side_mismatch', { side: 'right' })).toContain('droit');
    expect(ruleText('en', 'side_mismatch', { side: 'right' })).toContain('right');
  });

  it('a planned bilateral target takes either side, or both', () => {
    const events = play(PATH.anesthetised, { body: scheduleBody({ plannedTargets: [{ nerve: 'pudendal', side: 'bilateral' }] }) });
    for (const side of ['left', 'right', 'bilateral'] as const)
      given(events).when({ ...positionProbe, target: { nerve: 'pudendal', side } } as never).then([{ type: 'ProbePositioned' }]);
    given(events).when({ ...positionProbe, target: { nerve: 'pudendal', side: 'midline' } } as never).rejects('side_mismatch');
  });

  it('target_not_planned: a nerve or level outside the plan needs the radiologist’s reason', () => {
    const genicular = { ...positionProbe, target: { nerve: 'genicular', side: 'right' } } as Step;
    given(play(PATH.anesthetised)).when(genicular as never).rejects('target_not_planned');
    given(play(PATH.anesthetised)).when({ ...positionProbe, target: { nerve: 'intercostal', level: 'T6', side: 'left' } } as never).rejects('target_not_planned');
    given(play(PATH.anesthetised)).when({ ...genicular, offPlanReason: '   ' } as never).rejects('target_not_planned');
    const s = given(play(PATH.anesthetised))
      .when({ ...genicular, offPlanReason: 'Douleur du genou associée' } as never)
      .then([{ type: 'ProbePositioned', data: { offPlanReason: 'Douleur du genou associée' } }]);
    expect(s.offPlanTargets).toEqual([{ at: expect.any(String), by: radiologist, target: { nerve: 'genicular', side: 'right' }, reason: 'Douleur du genou associée' }]);
  });

  it('an off-plan target counts as a target from then on: its other side is refused, the flow waits for it', () => {
    const offPlan = { ...positionProbe, target: { nerve: 'genicular', side: 'right' }, offPlanReason: 'Douleur du genou associée' } as Step;
    const cycle: Step[] = [startFreeze, endFreeze, { type: 'end_thaw' }];
    // Back on it without a reason, and its other side refused.
    const events = play([...PATH.cycled, offPlan, ...cycle]);
    given(events).when({ ...positionProbe, target: { nerve: 'genicular', side: 'right' } } as never).then([{ type: 'ProbePositioned' }]);
    given(events).when({ ...positionProbe, target: { nerve: 'genicular', side: 'left' } } as never).rejects('side_mismatch');
    expect(nextStep(fold(events), { ...DEFAULT_SETTINGS, cyclesPerTarget: 1 })).toBe('remove_probe');
    // Added, then left for the planned target: still to treat before the probe comes out.
    const pending = play([...PATH.anesthetised, offPlan, positionProbe, ...cycle]);
    expect(fold(pending).offPlanTargets.map((t) => t.target)).toEqual([{ nerve: 'genicular', side: 'right' }]);
    expect(nextStep(fold(pending), { ...DEFAULT_SETTINGS, cyclesPerTarget: 1 })).toBe('position_probe');
  });

  it('a reason sent with a planned target does not mark it off-plan', () => {
    const s = given(play(PATH.anesthetised)).when({ ...positionProbe, offPlanReason: 'par précaution' } as never).then([{ type: 'ProbePositioned' }]);
    expect(s.offPlanTargets).toEqual([]);
  });
});

describe('allergies as allergen codes (record_checklist)', () => {
  it('allergens_missing: "yes" names at least one allergen', () => {
    given(play(PATH.admitted)).when({ type: 'record_checklist', allergies: { has: true, details: 'iode' } }).rejects('allergens_missing');
    given(play(PATH.admitted)).when({ type: 'record_checklist', allergies: { has: true, allergens: [] } }).rejects('allergens_missing');
    const s = given(play(PATH.admitted))
      .when({ type: 'record_checklist', allergies: { has: true, allergens: ['povidone_iodine'], details: 'iode' } })
      .then([{ type: 'ChecklistRecorded' }]);
    expect(s.checklist.allergies).toEqual({ has: true, allergens: ['povidone_iodine'], details: 'iode' });
  });

  it('allergens_without_allergy: "no" names none', () => {
    given(play(PATH.admitted)).when({ type: 'record_checklist', allergies: { has: false, allergens: ['latex'] } }).rejects('allergens_without_allergy');
    given(play(PATH.admitted)).when({ type: 'record_checklist', allergies: { has: false, allergens: [] } }).then([{ type: 'ChecklistRecorded' }]);
  });

  it('"other" is told in the details', () => {
    given(play(PATH.admitted)).when({ type: 'record_checklist', allergies: { has: true, allergens: ['other'] } }).rejects('note_required');
    given(play(PATH.admitted)).when({ type: 'record_checklist', allergies: { has: true, allergens: ['other'], details: 'pansements adhésifs' } }).then([{ type: 'ChecklistRecorded' }]);
  });
});

describe('weight (record_checklist.weightKg)', () => {
  const weightless = PATH.timedOut.map((s) => (s.type === 'record_checklist' ? { ...s, weightKg: undefined } : s)) as Step[];

  it('weight_missing: no local anaesthetic without the weight, which sets the maximum dose', () => {
    const events = play(weightless);
    given(events).when(localAnesthesia as never).rejects('weight_missing');
    expect(blockers(fold(events)).map((b) => b.rule)).toEqual(['weight_missing']);
    given(play([...weightless, { type: 'record_checklist', weightKg: 64 }])).when(localAnesthesia as never).then([{ type: 'LocalAnesthesiaGiven' }]);
  });

  it('the weight is not a readiness item: it may still be recorded in the room, and only it', () => {
    const ready = play(PATH.ready.map((s) => (s.type === 'record_checklist' ? { ...s, weightKg: undefined } : s)) as Step[]);
    expect(fold(ready).stage).toBe('ready');
    const inRoom = play(weightless.slice(0, -1));
    given(inRoom).when({ type: 'record_checklist', weightKg: 64, allergies: { has: false } }).rejects('checklist_closed');
    given(inRoom).when({ type: 'record_checklist', escort: null }).rejects('checklist_closed');
    const s = given(inRoom).when({ type: 'record_checklist', weightKg: 64 }).then([{ type: 'ChecklistRecorded' }]);
    expect(s).toMatchObject({ stage: 'in_room', checklist: { weightKg: 64 } });
    given(play(PATH.anesthetised)).when({ type: 'record_checklist', weightKg: 64 }).rejects('wrong_stage');
  });
});

describe('local anaesthetic dose limit (give_local_anesthesia)', () => {
  const lido = (volumeMl: number, concentrationPercent = 1, withEpinephrine?: boolean) =>
    ({ type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent, volumeMl, ...(withEpinephrine === undefined ? {} : { withEpinephrine }) }) as never;

  it('max_dose_exceeded: the issue’s second 100 mL of lidocaine 1 % (1,000 mg)', () => {
    const r = given(play(PATH.anesthetised)).when(lido(100)).rejects('max_dose_exceeded');
    // 70 kg: 4.5 mg/kg = 315 mg, capped at 300 mg for plain lidocaine; 50 mg already given.
    expect(translate('fr', r)).toContain('1050 mg');
    expect(translate('fr', r)).toContain('300 mg');
    expect(translate('en', r)).toContain('Lidocaine');
    given(play(PATH.anesthetised)).when(lido(25)).then([{ type: 'LocalAnesthesiaGiven' }]);
  });

  it('adds up over the case: exactly at the maximum passes, one millilitre more does not', () => {
    // 50 mg given; 250 mg more reaches 300 mg.
    given(play(PATH.anesthetised)).when(lido(12.5, 2)).then([{ type: 'LocalAnesthesiaGiven', data: { volumeMl: 12.5 } }]);
    given(play(PATH.anesthetised)).when(lido(13, 2)).rejects('max_dose_exceeded');
  });

  it('epinephrine raises the lidocaine maximum to 7 mg/kg (500 mg ceiling)', () => {
    // 70 kg × 7 = 490 mg: 50 mg plain already given counts 50/300 of the plain maximum.
    given(play(PATH.anesthetised)).when(lido(20, 2, false)).rejects('max_dose_exceeded');
    given(play(PATH.anesthetised)).when(lido(20, 2, true)).then([{ type: 'LocalAnesthesiaGiven' }]);
  });

  it('mixed amides add up as fractions of each maximum', () => {
    // 50 mg lidocaine = 1/6 of 300; ropivacaine 70 kg × 3 = 210 mg: 5/6 of it is 175 mg.
    const ropi = (volumeMl: number) => ({ type: 'give_local_anesthesia', agent: 'ropivacaine', concentrationPercent: 0.5, volumeMl }) as never;
    given(play(PATH.anesthetised)).when(ropi(36)).rejects('max_dose_exceeded');
    given(play(PATH.anesthetised)).when(ropi(35)).then([{ type: 'LocalAnesthesiaGiven' }]);
  });

  it('a lighter patient has a lower maximum: bupivacaine 2 mg/kg', () => {
    const light = play(PATH.timedOut.map((s) => (s.type === 'record_checklist' ? { ...s, weightKg: 45 } : s)) as Step[]);
    const bupi = (volumeMl: number) => ({ type: 'give_local_anesthesia', agent: 'bupivacaine', concentrationPercent: 0.5, volumeMl }) as never;
    const r = given(light).when(bupi(19)).rejects('max_dose_exceeded');
    expect(translate('en', r)).toContain('95 mg in total for a maximum of 90 mg (45 kg)');
    given(light).when(bupi(18)).then([{ type: 'LocalAnesthesiaGiven', data: { agent: 'bupivacaine' } }]);
  });

  it('records the mg given', () => {
    expect(fold(play(PATH.anesthetised)).localAnesthesia[0]).toMatchObject({ agent: 'lidocaine', concentrationPercent: 1, volumeMl: 5, mg: 50 });
  });
});

describe('drug allergies (allergy_to_agent)', () => {
  const allergicTo = (allergens: string[]) =>
    PATH.timedOut.map((s) => (s.type === 'record_checklist' ? { ...s, allergies: { has: true, allergens } } : s)) as Step[];

  it('an amide local anaesthetic to a patient allergic to amides is refused, unless a radiologist signs why', () => {
    const events = play(allergicTo(['local_anesthetic_amide']));
    const r = given(events).when(localAnesthesia as never).rejects('allergy_to_agent');
    expect(translate('fr', r)).toContain('Lidocaïne');
    expect(translate('fr', r)).toContain('Anesthésiques locaux (amides)');
    given(events).when({ ...localAnesthesia, agent: 'ropivacaine', concentrationPercent: 0.2 } as never).rejects('allergy_to_agent');
    given(events).when({ ...localAnesthesia, allergyOverrideReason: '  ' } as never).rejects('allergy_to_agent');
    const s = given(events)
      .when({ ...localAnesthesia, allergyOverrideReason: 'Allergie non confirmée au bilan allergologique' } as never)
      .then([{ type: 'LocalAnesthesiaGiven' }]);
    expect(s.localAnesthesia[0]?.allergyOverrideReason).toBe('Allergie non confirmée au bilan allergologique');
  });

  it('an ester allergy does not refuse an amide', () => {
    given(play(allergicTo(['local_anesthetic_ester']))).when(localAnesthesia as never).then([{ type: 'LocalAnesthesiaGiven' }]);
  });

  it('midazolam to a patient allergic to benzodiazepines is refused, unless a radiologist signs why', () => {
    const events = play(allergicTo(['benzodiazepine', 'chlorhexidine']));
    given(events).by(nurse).when({ type: 'give_sedation', drug: 'Midazolam', dose: '1 mg' }).rejects('allergy_to_agent');
    given(events).by(nurse).when({ type: 'give_sedation', drug: 'Midazolam', dose: '1 mg', allergyOverrideReason: 'Je signe' }).rejects('allergy_to_agent');
    given(events).by(radiologist).when({ type: 'give_sedation', drug: 'Midazolam', dose: '1 mg', allergyOverrideReason: 'Réaction ancienne douteuse' }).then([{ type: 'SedationGiven' }]);
    given(events).by(nurse).when({ type: 'give_sedation', drug: 'MEOPA (N₂O/O₂ 50/50)' }).then([{ type: 'SedationGiven' }]);
  });

  it('an opioid to a patient allergic to opioids is refused', () => {
    const events = play(allergicTo(['opioid']));
    given(events).when({ type: 'give_sedation', drug: 'Sufentanil', dose: '5 µg' }).rejects('allergy_to_agent');
    given(events).when({ type: 'give_sedation', drug: 'Midazolam', dose: '1 mg' }).then([{ type: 'SedationGiven' }]);
  });
});

describe('typing errors (vitals_implausible, freeze_too_short)', () => {
  it('vitals_implausible: a diastolic pressure at or above the systolic', () => {
    given(play(PATH.admitted)).when({ ...normalVitals, systolic: 80, diastolic: 120 } as never).rejects('vitals_implausible');
    given(play(PATH.admitted)).when({ ...normalVitals, systolic: 90, diastolic: 90 } as never).rejects('vitals_implausible');
    given(play(PATH.admitted)).when({ ...normalVitals, systolic: 120, diastolic: 80 } as never).then([{ type: 'VitalsRecorded' }]);
  });

  it('freeze_too_short: a temperature less than 30 s after the start', () => {
    const events = play(PATH.freezing);
    const started = events.at(-1)!.occurredAt;
    const plus = (s: number) => new Date(Date.parse(started) + s * 1000).toISOString();
    given(events).at(plus(1)).when({ type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }).rejects('freeze_too_short');
    given(events).at(plus(29)).when({ type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }).rejects('freeze_too_short');
    given(events).at(plus(30)).when({ type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' }).then([{ type: 'FreezeEnded' }]);
  });

  it('a freeze with no ice ball may still end at once', () => {
    const events = play(PATH.freezing);
    const started = events.at(-1)!.occurredAt;
    given(events).at(new Date(Date.parse(started) + 1000).toISOString()).when({ type: 'end_freeze', noIceBall: true, thawMode: 'passive' }).then([{ type: 'FreezeEnded' }]);
  });
});

describe('sedation recovery (record_aldrete) and monitoring', () => {
  const sedatedObserving = [...PATH.inRoom, { type: 'give_sedation', drug: 'Midazolam' }, ...PATH.observing.slice(PATH.inRoom.length)] as Step[];
  const ready = (extra: Step[]) => play([...sedatedObserving, ...extra, { ...normalVitals, occurredAt: at(128) }, { ...goodPadss, occurredAt: at(129) }]);

  it('aldrete_missing: a sedated patient goes home after a modified Aldrete score', () => {
    given(ready([])).at(at(131)).when(discharge as never).rejects('aldrete_missing');
    given(ready([{ ...goodAldrete, occurredAt: at(120) }])).at(at(131)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
  });

  it('aldrete_too_low: at least 9', () => {
    const low = { ...goodAldrete, consciousness: 1, oxygenSaturation: 1, occurredAt: at(120) } as Step;
    given(ready([low])).at(at(131)).when(discharge as never).rejects('aldrete_too_low');
    given(ready([low, { ...goodAldrete, occurredAt: at(125) }])).at(at(131)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
  });

  it('an Aldrete recorded before observation does not count', () => {
    expect(() => play([...sedatedObserving.slice(0, -1), goodAldrete])).toThrow(/record_aldrete refused: wrong_stage/);
  });

  it('the flow asks for the Aldrete after the first vitals of a sedated patient, and blockers name it', () => {
    const s = fold(play([...sedatedObserving, { ...normalVitals, occurredAt: at(101) }]));
    expect(nextStep(s)).toBe('record_aldrete');
    expect(blockers(s, { now: at(140), settings: DEFAULT_SETTINGS }).map((b) => b.rule)).toContain('aldrete_missing');
  });

  it('a patient who was not sedated needs no Aldrete', () => {
    given(play(PATH.dischargeable)).at(at(116)).when(discharge as never).then([{ type: 'PatientDischarged' }]);
  });

  it('sedation_monitoring_overdue: vitals at least every SEDATION_VITALS_MINUTES while sedated in the room or in observation', () => {
    const sedated = play([...PATH.inRoom, { type: 'give_sedation', drug: 'Midazolam', occurredAt: at(10) }]);
    const codes = (events: typeof sedated, now: string, settings = DEFAULT_SETTINGS) => alertsFor(fold(events), now, settings).map((a) => a.code);
    expect(codes(sedated, at(15))).not.toContain('sedation_monitoring_overdue');
    expect(alertsFor(fold(sedated), at(15.5), DEFAULT_SETTINGS)).toContainEqual({ code: 'sedation_monitoring_overdue', since: at(15) });
    const measured = play([...PATH.inRoom, { type: 'give_sedation', drug: 'Midazolam', occurredAt: at(10) }, { ...normalVitals, occurredAt: at(14) }]);
    expect(codes(measured, at(18))).not.toContain('sedation_monitoring_overdue');
    expect(codes(measured, at(19.5))).toContain('sedation_monitoring_overdue');
    expect(codes(measured, at(19.5), { ...DEFAULT_SETTINGS, sedationVitalsMinutes: 10 })).not.toContain('sedation_monitoring_overdue');
    // Not sedated: no watch.
    expect(codes(play(PATH.inRoom), at(60))).not.toContain('sedation_monitoring_overdue');
  });
});

describe('the dose arithmetic the local-anaesthesia form shows', () => {
  it('mg from concentration and volume, the maximum for the patient, and the 80 % warning', () => {
    expect(anestheticMg(1, 20)).toBe(200);
    expect(anestheticMg(0.75, 3)).toBe(22.5);
    expect(maxDoseMg('lidocaine', false, 60)).toBe(270);
    expect(maxDoseMg('lidocaine', false, 80)).toBe(300);
    expect(maxDoseMg('lidocaine', true, 80)).toBe(500);
    expect(maxDoseMg('ropivacaine', true, 50)).toBe(150);
    expect(LOCAL_ANESTHETIC_MAXIMUMS.bupivacaine.plainMgPerKg).toBe(2);
    const given = [{ agent: 'lidocaine', concentrationPercent: 1, volumeMl: 20 }] as const;
    // 60 kg: 270 mg; 200 + 10 = 210 mg is 78 %, 200 + 30 = 230 mg is 85 %, 200 + 80 = 280 mg is over.
    expect(doseCheck(given, { agent: 'lidocaine', concentrationPercent: 1, volumeMl: 1 }, 60)).toMatchObject({ agentMg: 200, totalMg: 210, maxMg: 270, level: 'ok' });
    expect(doseCheck(given, { agent: 'lidocaine', concentrationPercent: 1, volumeMl: 3 }, 60)).toMatchObject({ totalMg: 230, mgPerKg: 3.83, maxMgPerKg: 4.5, level: 'warning' });
    expect(doseCheck(given, { agent: 'lidocaine', concentrationPercent: 1, volumeMl: 8 }, 60).level).toBe('exceeded');
    expect(DOSE_WARNING_FRACTION).toBe(0.8);
  });

  it('anesthesiaDoseCheck reads the case: what is given, and the weight', () => {
    const s = fold(play(PATH.anesthetised));
    expect(anesthesiaDoseCheck(s, { agent: 'lidocaine', concentrationPercent: 1, volumeMl: 20 })).toMatchObject({ agentMg: 50, totalMg: 250, maxMg: 300 });
    expect(anesthesiaDoseCheck({ ...s, checklist: { ...s.checklist, weightKg: null } }, { agent: 'lidocaine', concentrationPercent: 1, volumeMl: 1 })).toBeNull();
  });

  it('the allergy on file that forbids a drug, for the forms to show in red', () => {
    const amide = { has: true, allergens: ['local_anesthetic_amide'] as const };
    expect(allergyConflict({ ...amide, allergens: [...amide.allergens] }, { agent: 'levobupivacaine' })).toBe('local_anesthetic_amide');
    expect(allergyConflict({ has: true, allergens: ['benzodiazepine'] }, { sedation: 'MIDAZOLAM 1 mg' })).toBe('benzodiazepine');
    expect(allergyConflict({ has: true, allergens: ['opioid'] }, { sedation: 'Rémifentanil' })).toBe('opioid');
    expect(allergyConflict({ has: false }, { agent: 'lidocaine' })).toBeNull();
    expect(sedationAllergen('MEOPA')).toBeNull();
  });

  it('the sedation form asks the override reason only when a sedation drug class is on file', () => {
    expect(sedationAllergyOnFile({ has: true, allergens: ['chlorhexidine'] })).toBe(false);
    expect(sedationAllergyOnFile({ has: false })).toBe(false);
    expect(sedationAllergyOnFile({ has: true, allergens: ['chlorhexidine', 'benzodiazepine'] })).toBe(true);
    expect(sedationAllergyOnFile({ has: true, allergens: ['opioid'] })).toBe(true);
  });
});
