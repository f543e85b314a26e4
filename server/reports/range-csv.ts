import {
  DURATION_KEYS,
  RANGE_PAIN_MOMENTS,
  describeCirseGrade,
  t,
  targetLabel,
  type Lang,
  type LabelKey,
  type RangeFigures,
  type RangeReport,
} from '../../shared';
import { toCsv, type Cell } from './csv';

/**
 * The range report as CSV, in the format of the other exports (`;`, decimal comma, BOM, codes then
 * labels). One row per figure and period, not one column per figure: the reasons, complication kinds
 * and indications present change from one range to the next, and a pivot table reads this shape as it is.
 * The whole range comes last, as the period `total`. The figure codes are those of docs/reports.md.
 */
export const RANGE_COLUMNS = ['period', 'period_from', 'period_to', 'figure', 'key', 'value'] as const;

export const RANGE_LABEL_COLUMNS = {
  fr: ['indicateur', 'détail'],
  en: ['figure label', 'detail label'],
} as const satisfies Record<Lang, readonly string[]>;

export const RANGE_FIGURES = [
  'scheduled',
  'performed',
  'aborted',
  'cancelled',
  'cancelled_by_reason',
  'transferred',
  'targets_total',
  'targets_per_act_mean',
  'targets_per_act_median',
  'cycles_total',
  'cycles_per_act_mean',
  'cycles_per_act_median',
  'stage_n',
  'stage_median_min',
  'stage_p90_min',
  'turnover_n',
  'turnover_median_min',
  'turnover_p90_min',
  'start_delay_n',
  'start_delay_median_min',
  'start_delay_p90_min',
  'on_time',
  'on_time_rate',
  'complications',
  'complications_per_100',
  'acts_with_complication',
  'complications_by_grade',
  'complications_by_grade_per_100',
  'complications_by_kind',
  'complications_by_kind_per_100',
  'sedated',
  'sedation_rate',
  'pain_acts',
  'pain_n',
  'pain_mean',
  'pain_median',
] as const;
export type RangeFigure = (typeof RANGE_FIGURES)[number];

type Row = [figure: RangeFigure, key: string, value: number | null, detail: string];

function rows(f: RangeFigures, lang: Lang): Row[] {
  const label = (key: string) => t(lang, key as LabelKey);
  return [
    ['scheduled', '', f.scheduled, ''],
    ['performed', '', f.performed, ''],
    ['aborted', '', f.aborted, ''],
    ['cancelled', '', f.cancelled, ''],
    ...Object.entries(f.cancellationsByReason).map(([reason, n]): Row => ['cancelled_by_reason', reason, n ?? 0, label(`cancel_reason.${reason}`)]),
    ['transferred', '', f.transferred, ''],
    ['targets_total', '', f.targetsPerAct.total, ''],
    ['targets_per_act_mean', '', f.targetsPerAct.mean, ''],
    ['targets_per_act_median', '', f.targetsPerAct.median, ''],
    ['cycles_total', '', f.cyclesPerAct.total, ''],
    ['cycles_per_act_mean', '', f.cyclesPerAct.mean, ''],
    ['cycles_per_act_median', '', f.cyclesPerAct.median, ''],
    ...DURATION_KEYS.flatMap((k): Row[] => [
      ['stage_n', k, f.stages[k].n, label(`duration.${k}`)],
      ['stage_median_min', k, f.stages[k].median, label(`duration.${k}`)],
      ['stage_p90_min', k, f.stages[k].p90, label(`duration.${k}`)],
    ]),
    ['turnover_n', '', f.turnover.n, ''],
    ['turnover_median_min', '', f.turnover.median, ''],
    ['turnover_p90_min', '', f.turnover.p90, ''],
    ['start_delay_n', '', f.punctuality.n, ''],
    ['start_delay_median_min', '', f.punctuality.median, ''],
    ['start_delay_p90_min', '', f.punctuality.p90, ''],
    ['on_time', '', f.punctuality.onTime, ''],
    ['on_time_rate', '', f.punctuality.onTimeRate, ''],
    ['complications', '', f.complications.total, ''],
    ['complications_per_100', '', f.complications.per100, ''],
    ['acts_with_complication', '', f.complications.acts, ''],
    ...Object.entries(f.complications.byGrade).flatMap(([grade, r]): Row[] => [
      ['complications_by_grade', grade, r.count, describeCirseGrade(lang, Number(grade))],
      ['complications_by_grade_per_100', grade, r.per100, describeCirseGrade(lang, Number(grade))],
    ]),
    ...Object.entries(f.complications.byKind).flatMap(([kind, r]): Row[] =>
      r ? [
        ['complications_by_kind', kind, r.count, label(`complication.${kind}`)],
        ['complications_by_kind_per_100', kind, r.per100, label(`complication.${kind}`)],
      ] : [],
    ),
    ['sedated', '', f.sedation.sedated, ''],
    ['sedation_rate', '', f.sedation.rate, ''],
    ...f.pain.flatMap((p): Row[] => [
      ['pain_acts', p.indication, p.acts, targetLabel(lang, p.indication)],
      ...RANGE_PAIN_MOMENTS.flatMap((m): Row[] => {
        const key = `${p.indication}:${m}`;
        const detail = `${targetLabel(lang, p.indication)}, ${label(`pain_moment.${m}`)}`;
        return [
          ['pain_n', key, p.moments[m].n, detail],
          ['pain_mean', key, p.moments[m].mean, detail],
          ['pain_median', key, p.moments[m].median, detail],
        ];
      }),
    ]),
  ];
}

export function rangeCsv(report: RangeReport, lang: Lang = 'fr'): string {
  const periods = [...report.buckets, { key: 'total', from: report.from, to: report.to, figures: report.total }];
  const lines = periods.flatMap((p) =>
    rows(p.figures, lang).map(([figure, key, value, detail]) => [p.key, p.from, p.to, figure, key, value, t(lang, `rangeCsv.${figure}`), detail] satisfies Cell[]),
  );
  return toCsv([...RANGE_COLUMNS, ...RANGE_LABEL_COLUMNS[lang]], lines);
}
