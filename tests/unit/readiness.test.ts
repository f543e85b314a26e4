import { describe, expect, it } from 'vitest';
import { fold, nextActions, readinessBlockers } from '../../shared';
import { PATH, fullChecklist, given, play, type Step } from './helpers/scenario';

const admittedWith = (checklist: Partial<Step>) => play([...PATH.admitted, { ...fullChecklist, ...checklist } as Step]);

describe('mark_ready needs a complete checklist', () => {
  it('is allowed once every item is declared and every contraindication is negative', () => {
    given(play(PATH.checklisted)).when({ type: 'mark_ready' }).then([{ type: 'PatientMarkedReady' }]);
  });

  it('lists every blocker of an empty checklist', () => {
    const rules = readinessBlockers(fold(play(PATH.admitted))).map((b) => b.rule);
    expect(rules).toEqual([
      'identity_not_verified', 'consent_missing', 'anticoagulants_undeclared', 'anti_inflammatories_undeclared',
      'allergies_undeclared', 'escort_missing', 'contraindication_unscreened',
    ]);
    given(play(PATH.admitted)).when({ type: 'mark_ready' }).rejects('identity_not_verified', 'rule_violated');
  });

  it.each([
    [{ identityVerified: false }, 'identity_not_verified'],
    [{ consentSigned: false }, 'consent_missing'],
    [{ anticoagulants: { taken: true } }, 'anticoagulants_not_managed'],
    [{ anticoagulants: { taken: true, managed: false } }, 'anticoagulants_not_managed'],
    [{ antiInflammatories: { taken: true } }, 'anti_inflammatories_not_managed'],
    [{ contraindications: { localInfection: 'negative', raynaud: 'negative', cryoglobulinemia: 'negative' } }, 'contraindication_unscreened'],
  ] as const)('refuses %j with %s', (patch, rule) => {
    given(admittedWith(patch as Partial<Step>)).when({ type: 'mark_ready' }).rejects(rule);
  });

  it('accepts taken-and-managed anticoagulants', () => {
    given(admittedWith({ anticoagulants: { taken: true, managed: true } } as Partial<Step>))
      .when({ type: 'mark_ready' }).then([{ type: 'PatientMarkedReady' }]);
  });

  it('needs both escort name and phone', () => {
    const events = play([...PATH.admitted, { ...fullChecklist, escort: null } as Step]);
    given(events).when({ type: 'mark_ready' }).rejects('escort_missing');
  });

  it('merges partial checklist passes', () => {
    const events = play([...PATH.admitted, { type: 'record_checklist', identityVerified: true }, { type: 'record_checklist', consentSigned: true }]);
    const s = fold(events);
    expect(s.checklist.identityVerified).toBe(true);
    expect(s.checklist.consentSigned).toBe(true);
  });

  it('a positive contraindication blocks readiness and leaves only cancel', () => {
    const events = play([...PATH.admitted, { ...fullChecklist, contraindications: { ...(fullChecklist as { contraindications: object }).contraindications, raynaud: 'positive' } } as Step]);
    given(events).when({ type: 'mark_ready' }).rejects('contraindication_positive');
    const s = fold(events);
    // Cancelling cannot be taken back: offered, never the big button.
    expect(nextActions(s, 'nurse')).toEqual({ primary: null, others: expect.arrayContaining(['cancel', 'correct_last']) });
    expect(nextActions(s, 'nurse').others).not.toContain('mark_ready');
    expect(nextActions(s, 'coordinator').primary).toBeNull();
    given(events).when({ type: 'cancel', reason: 'contraindication' }).then([{ type: 'CaseCancelled' }]);
  });

  it('a positive screening saved by mistake: saving it negative is refused with the way out, the correction keeps the other answers', () => {
    const raynaud = (v: string) => ({ ...(fullChecklist as { contraindications: object }).contraindications, raynaud: v });
    const typo = play([...PATH.admitted, { ...fullChecklist, contraindications: raynaud('positive') } as Step]);
    // Given the typo saved, when saved again negative, then refused by its own rule (not "positive contraindication" again).
    given(typo).when({ type: 'record_checklist', contraindications: { raynaud: 'negative' } }).rejects('contraindication_cleared_by_resave');
    // When the save is corrected, then the escort and every other answer stay; only Raynaud is unscreened again.
    const corrected = given(typo).when({ type: 'correct_last', reason: 'Raynaud coché par erreur' }).then([{ type: 'LastCorrected' }]);
    expect(corrected.checklist.escort).toEqual((fullChecklist as { escort: object }).escort);
    expect(corrected.checklist.identityVerified).toBe(true);
    expect(corrected.checklist.contraindications.raynaud).toBeUndefined();
    expect(corrected.checklist.contraindications.localInfection).toBe('negative');
    // Then the same re-save, in the same payload shape, is allowed, and the patient can be made ready.
    const fixed = play([
      ...PATH.admitted,
      { ...fullChecklist, contraindications: raynaud('positive') } as Step,
      { type: 'correct_last', reason: 'Raynaud coché par erreur' } as Step,
      { type: 'record_checklist', contraindications: { raynaud: 'negative' } } as Step,
    ]);
    given(fixed).when({ type: 'mark_ready' }).then([{ type: 'PatientMarkedReady' }]);
  });

  it('correcting a checklist save that found nothing positive undoes it whole', () => {
    const withIodine = play([...PATH.admitted, fullChecklist as Step, { type: 'record_checklist', allergies: { has: true, allergens: ['iodinated_contrast'], details: 'iode' } } as Step]);
    const corrected = given(withIodine).when({ type: 'correct_last', reason: 'Mauvais patient' }).then([{ type: 'LastCorrected' }]);
    expect(corrected.checklist.allergies).toEqual((fullChecklist as { allergies: object }).allergies);
  });

  it('a ready patient whose checklist stops being complete goes back to admitted', () => {
    const s = given(play(PATH.ready)).when({ type: 'record_checklist', contraindications: { coldUrticaria: 'positive' } })
      .then([{ type: 'ChecklistRecorded' }]);
    expect(s.stage).toBe('admitted');
    const kept = given(play(PATH.ready)).when({ type: 'record_checklist', allergies: { has: true, allergens: ['povidone_iodine'], details: 'urticaire' } })
      .then([{ type: 'ChecklistRecorded' }]);
    expect(kept.stage).toBe('ready');
  });

  it('record_checklist is for admitted and ready patients; in the room it takes only the weight', () => {
    given(play(PATH.scheduled)).when({ type: 'record_checklist', consentSigned: true }).rejects('wrong_stage', 'not_allowed_in_stage');
    given(play(PATH.inRoom)).when({ type: 'record_checklist', consentSigned: true }).rejects('checklist_closed');
    given(play(PATH.anesthetised)).when({ type: 'record_checklist', consentSigned: true }).rejects('wrong_stage');
  });
});
