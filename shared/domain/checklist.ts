import type { CommandOf } from './commands';
import { CONTRAINDICATIONS } from './reasons';
import type { Checklist } from './state';

export type ChecklistInput = Omit<CommandOf<'record_checklist'>, 'type'>;

// Partial merge: the nurse fills the checklist in several passes; fields absent from a pass are kept.
export function mergeChecklist(current: Checklist, input: ChecklistInput): Checklist {
  return {
    identityVerified: input.identityVerified ?? current.identityVerified,
    consentSigned: input.consentSigned ?? current.consentSigned,
    anticoagulants: input.anticoagulants ?? current.anticoagulants,
    antiInflammatories: input.antiInflammatories ?? current.antiInflammatories,
    allergies: input.allergies ?? current.allergies,
    weightKg: input.weightKg ?? current.weightKg ?? null,
    escort: input.escort === undefined ? current.escort : input.escort,
    contraindications: { ...current.contraindications, ...stripUndefined(input.contraindications ?? {}) },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// The readiness items still missing, in the order the nurse's form lists them. Pure data so evolve()
// can use it too (a ready patient whose checklist becomes incomplete goes back to admitted).
export type ChecklistGap =
  | 'identity_not_verified'
  | 'consent_missing'
  | 'anticoagulants_undeclared'
  | 'anticoagulants_not_managed'
  | 'anti_inflammatories_undeclared'
  | 'anti_inflammatories_not_managed'
  | 'allergies_undeclared'
  | 'escort_missing'
  | 'contraindication_unscreened'
  | 'contraindication_positive';

export function checklistGaps(c: Checklist): ChecklistGap[] {
  const gaps: ChecklistGap[] = [];
  if (!c.identityVerified) gaps.push('identity_not_verified');
  if (!c.consentSigned) gaps.push('consent_missing');
  if (!c.anticoagulants) gaps.push('anticoagulants_undeclared');
  else if (c.anticoagulants.taken && !c.anticoagulants.managed) gaps.push('anticoagulants_not_managed');
  if (!c.antiInflammatories) gaps.push('anti_inflammatories_undeclared');
  else if (c.antiInflammatories.taken && !c.antiInflammatories.managed) gaps.push('anti_inflammatories_not_managed');
  if (!c.allergies) gaps.push('allergies_undeclared');
  if (!hasEscort(c)) gaps.push('escort_missing');
  if (CONTRAINDICATIONS.some((k) => c.contraindications[k] === undefined)) gaps.push('contraindication_unscreened');
  if (hasPositiveContraindication(c)) gaps.push('contraindication_positive');
  return gaps;
}

export const hasEscort = (c: Checklist): boolean => !!c.escort && c.escort.name.trim() !== '' && c.escort.phone.trim() !== '';

export const hasPositiveContraindication = (c: Checklist): boolean =>
  CONTRAINDICATIONS.some((k) => c.contraindications[k] === 'positive');

export const positiveContraindications = (c: Checklist) =>
  CONTRAINDICATIONS.filter((k) => c.contraindications[k] === 'positive');
