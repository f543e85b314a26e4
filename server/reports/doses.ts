import { DOSE_FIELDS_OF, DOSE_MODALITIES, caseDoses, initials, quantile, type CaseState, type DoseField, type DoseModality } from '../../shared';

/** One guided act's dose, as the report lists it (initials only: the report is read on shared screens). */
export interface DoseAct {
  caseId: string;
  day: string;
  initials: string;
  modality: DoseModality;
  equipment: string;
  at: string;
  figures: Partial<Record<DoseField, number>>;
}

/** The median and 75th percentile of one figure over a month's acts: how diagnostic reference levels are read. */
export interface DoseSpread {
  n: number;
  median: number | null;
  p75: number | null;
}

export interface DoseMonth {
  month: string;
  modality: DoseModality;
  acts: number;
  figures: Partial<Record<DoseField, DoseSpread>>;
}

export interface DoseReport {
  from: string;
  to: string;
  acts: DoseAct[];
  months: DoseMonth[];
}

const round2 = (n: number | null) => (n === null ? null : Math.round(n * 100) / 100);

/** One case's dosed acts, as the report lists them. */
export function doseActsOf(day: string, state: CaseState): DoseAct[] {
  return caseDoses(state).map((d) => ({
    caseId: state.id,
    day,
    initials: initials(state.patient.firstName, state.patient.lastName),
    modality: d.modality,
    equipment: d.equipment,
    at: d.at,
    figures: Object.fromEntries(DOSE_FIELDS_OF[d.modality].filter((f) => d[f] !== undefined).map((f) => [f, d[f]!])),
  }));
}

/** Pure: the acts of the range with their dose, and per month and modality the median and 75th percentile of each figure. */
export function doseReport(from: string, to: string, cases: Iterable<{ day: string; state: CaseState }>): DoseReport {
  // One case at a time: a year's cases are read as they come, and only the dosed acts are kept.
  const acts: DoseAct[] = [];
  for (const { day, state } of cases) acts.push(...doseActsOf(day, state));
  return doseReportOf(from, to, acts);
}

/** The report from the range's dosed acts, whichever store read them. */
export function doseReportOf(from: string, to: string, acts: DoseAct[]): DoseReport {
  const months = [...new Set(acts.map((a) => a.day.slice(0, 7)))].sort();
  const byMonth: DoseMonth[] = months.flatMap((month) =>
    DOSE_MODALITIES.flatMap((modality) => {
      const these = acts.filter((a) => a.day.startsWith(month) && a.modality === modality);
      if (these.length === 0) return [];
      const figures = Object.fromEntries(
        DOSE_FIELDS_OF[modality].map((field) => {
          const values = these.map((a) => a.figures[field]).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
          return [field, { n: values.length, median: round2(quantile(values, 0.5)), p75: round2(quantile(values, 0.75)) }];
        }),
      );
      return [{ month, modality, acts: these.length, figures }];
    }),
  );
  return { from, to, acts, months: byMonth };
}
