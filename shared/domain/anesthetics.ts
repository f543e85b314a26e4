// Local anaesthetics the unit uses, their maximum doses and the arithmetic the tablet and the
// machine share: one table, so the warning the radiologist sees and the refusal the server sends
// are the same number.

export const LOCAL_ANESTHETIC_AGENTS = ['lidocaine', 'mepivacaine', 'ropivacaine', 'bupivacaine', 'levobupivacaine'] as const;
export type LocalAnestheticAgent = (typeof LOCAL_ANESTHETIC_AGENTS)[number];

export interface DoseMaximum {
  // mg per kg of body weight, plain and with epinephrine.
  plainMgPerKg: number;
  epinephrineMgPerKg: number;
  // Absolute ceiling in mg where the reference gives one, whatever the weight.
  plainCeilingMg?: number;
  epinephrineCeilingMg?: number;
}

// Usual maximum single doses in adults. Source: the unit's procedure-room safety notes
// (shared/domain/procedure-room-safety.md, after the usual pharmacology references); the unit's
// pharmacy has the last word, which is why this is data. Ropivacaine has no separate figure with
// epinephrine, so it keeps its plain maximum.
export const LOCAL_ANESTHETIC_MAXIMUMS: Readonly<Record<LocalAnestheticAgent, DoseMaximum>> = {
  lidocaine: { plainMgPerKg: 4.5, epinephrineMgPerKg: 7, plainCeilingMg: 300, epinephrineCeilingMg: 500 },
  mepivacaine: { plainMgPerKg: 4.5, epinephrineMgPerKg: 7 },
  ropivacaine: { plainMgPerKg: 3, epinephrineMgPerKg: 3 },
  bupivacaine: { plainMgPerKg: 2, epinephrineMgPerKg: 2.5 },
  levobupivacaine: { plainMgPerKg: 2, epinephrineMgPerKg: 2.5 },
};

export const LOCAL_ANESTHETIC_SOURCE = 'shared/domain/procedure-room-safety.md (usual adult maximum single doses)';

// All five are amides: an amide allergy concerns every one of them.
export const LOCAL_ANESTHETIC_CLASS: Readonly<Record<LocalAnestheticAgent, 'amide' | 'ester'>> = {
  lidocaine: 'amide',
  mepivacaine: 'amide',
  ropivacaine: 'amide',
  bupivacaine: 'amide',
  levobupivacaine: 'amide',
};

// Above this fraction of the maximum the tablet warns before sending.
export const DOSE_WARNING_FRACTION = 0.8;

// Sums of fractions are compared with this slack so a dose exactly at the maximum is accepted
// despite floating-point rounding.
const EPSILON = 1e-9;

export interface AnestheticDose {
  agent: LocalAnestheticAgent;
  concentrationPercent: number;
  volumeMl: number;
  withEpinephrine?: boolean;
}

// A 1 % solution holds 10 mg per mL.
export const anestheticMg = (concentrationPercent: number, volumeMl: number): number =>
  Math.round(concentrationPercent * 10 * volumeMl * 1000) / 1000;

// The maximum in mg for this patient, agent and formulation.
export function maxDoseMg(agent: LocalAnestheticAgent, withEpinephrine: boolean, weightKg: number): number {
  const m = LOCAL_ANESTHETIC_MAXIMUMS[agent];
  const perKg = (withEpinephrine ? m.epinephrineMgPerKg : m.plainMgPerKg) * weightKg;
  const ceiling = withEpinephrine ? m.epinephrineCeilingMg : m.plainCeilingMg;
  return Math.round((ceiling === undefined ? perKg : Math.min(perKg, ceiling)) * 1000) / 1000;
}

// The share of the maximum a set of doses uses: several amides add up, each as a fraction of its
// own maximum (1 = the maximum reached).
export function doseFraction(doses: readonly AnestheticDose[], weightKg: number): number {
  return doses.reduce(
    (sum, d) => sum + anestheticMg(d.concentrationPercent, d.volumeMl) / maxDoseMg(d.agent, d.withEpinephrine === true, weightKg),
    0,
  );
}

export type DoseLevel = 'ok' | 'warning' | 'exceeded';

export interface DoseCheck {
  // mg of this agent given so far in the case, and with the proposed dose.
  agentMg: number;
  totalMg: number;
  // The maximum for the proposed agent and formulation, in mg and mg/kg.
  maxMg: number;
  mgPerKg: number;
  maxMgPerKg: number;
  // Share of the maximum with the proposed dose, all agents counted.
  fraction: number;
  level: DoseLevel;
}

// What the case would reach with `proposed` on top of `given`: the form shows it while the
// radiologist types, decide() refuses `exceeded` with the same figures. totalMg is the whole load
// expressed in mg of the proposed agent, which is the plain total when only one agent is used.
export function doseCheck(given: readonly AnestheticDose[], proposed: AnestheticDose, weightKg: number): DoseCheck {
  const epinephrine = proposed.withEpinephrine === true;
  const maxMg = maxDoseMg(proposed.agent, epinephrine, weightKg);
  const fraction = doseFraction([...given, proposed], weightKg);
  const agentMg = given.filter((d) => d.agent === proposed.agent).reduce((s, d) => s + anestheticMg(d.concentrationPercent, d.volumeMl), 0);
  const totalMg = Math.round(fraction * maxMg * 10) / 10;
  return {
    agentMg: Math.round(agentMg * 10) / 10,
    totalMg,
    maxMg: Math.round(maxMg * 10) / 10,
    mgPerKg: Math.round((totalMg / weightKg) * 100) / 100,
    maxMgPerKg: Math.round((maxMg / weightKg) * 100) / 100,
    fraction,
    level: fraction > 1 + EPSILON ? 'exceeded' : fraction > DOSE_WARNING_FRACTION + EPSILON ? 'warning' : 'ok',
  };
}
