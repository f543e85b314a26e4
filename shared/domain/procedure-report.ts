import { describeCirseGrade, describeTarget, t, type Lang } from '../i18n/labels';
import { LOCAL_ANESTHETIC_AGENTS } from './anesthetics';
import type { Actor } from './events';
import { caseDevices, caseDoses, caseGuidances, caseTargets, madeIceBall, type CaseState } from './state';
import { sameTarget, type Target } from './targets';
import { ms } from './time';

// The procedure report the radiologist signs after every act, drafted from the log: what was
// planned and treated, under which guidance, with what anaesthesia and sedation, each target's
// cycles, the devices' lots, the dose and the machine, the complications and the outcome. Pure: the
// same state and language give the same text, so the signed text can be compared with a new draft.

export interface ReportSection {
  title: string;
  lines: string[];
}

export interface ReportDraft {
  title: string;
  sections: ReportSection[];
}

/** A signed version: the text is frozen as it was signed; a later change is a new version with its reason. */
export interface ReportSignature {
  version: number;
  at: string;
  by: Actor;
  lang: Lang;
  text: string;
  reason?: string;
}

export interface ReportRecord {
  conclusion: string | null;
  signatures: ReportSignature[];
}

export const NO_REPORT: ReportRecord = { conclusion: null, signatures: [] };
export const reportOf = (state: Pick<CaseState, 'report'>): ReportRecord => state.report ?? NO_REPORT;

const number = (lang: Lang, n: number) => new Intl.NumberFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 }).format(n);
const none = (lang: Lang) => t(lang, 'report.none');

export function draftReport(state: CaseState, lang: Lang): ReportDraft {
  const target = (x: Target) => describeTarget(lang, x);
  const p = state.patient;
  const actDay = state.stageHistory.find((h) => h.stage === 'in_room')?.at ?? state.scheduledAt;
  const treated = caseTargets(state).filter((x) => state.cycles.some((c) => madeIceBall(c) && c.freezeEndedAt && sameTarget(c.target, x)));
  const offPlan = state.offPlanTargets ?? [];
  const anaesthesia = state.localAnesthesia.map((d) =>
    [
      (LOCAL_ANESTHETIC_AGENTS as readonly string[]).includes(d.agent) ? t(lang, `anesthetic.${d.agent}`) : d.agent,
      typeof d.concentrationPercent === 'number' ? `${number(lang, d.concentrationPercent)}\u00a0%` : '',
      d.withEpinephrine ? t(lang, 'field.withEpinephrine') : '',
      typeof d.volumeMl === 'number' ? `${number(lang, d.volumeMl)}\u00a0mL` : '',
      typeof d.mg === 'number' ? `${number(lang, d.mg)}\u00a0mg` : '',
    ]
      .filter(Boolean)
      .join(' '),
  );
  const cyclesOf = (x: Target) =>
    state.cycles
      .filter((c) => sameTarget(c.target, x))
      .map((c) => {
        const seconds = c.freezeEndedAt ? Math.round((ms(c.freezeEndedAt) - ms(c.freezeStartedAt)) / 1000) : null;
        return t(lang, 'report.cycle', {
          n: c.index,
          gas: t(lang, `gas.${c.gas}`),
          seconds: seconds ?? '—',
          temp: c.lowestTempC === null ? '—' : number(lang, c.lowestTempC),
          ice: c.iceBallMm === null ? '—' : number(lang, c.iceBallMm),
          stimulation: c.stimulation ? t(lang, `stimulation.${c.stimulation}`) : '—',
          noIce: madeIceBall(c) ? '' : ` (${t(lang, 'report.noIceBall')})`,
        });
      });
  const operators = [...new Map(state.cycles.map((c) => [c.operator.id, c.operator.name])).values()];
  const outcome = state.abort
    ? t(lang, 'report.aborted', { reason: state.abort.reason })
    : state.transfer
      ? t(lang, 'report.transferred', { destination: state.transfer.destination })
      : t(lang, `stage.${state.stage}`);
  const report = reportOf(state);
  const sections: ReportSection[] = [
    {
      title: t(lang, 'report.patient'),
      lines: [`${p.lastName.toUpperCase()} ${p.firstName} — ${p.birthDate} — ${p.mrn}`, t(lang, 'report.actDay', { day: actDay.slice(0, 10) })],
    },
    { title: t(lang, 'report.indication'), lines: [state.indicationNote?.trim() || none(lang)] },
    {
      title: t(lang, 'report.targets'),
      lines: [
        t(lang, 'report.planned', { targets: state.plannedTargets.map(target).join(', ') }),
        t(lang, 'report.treated', { targets: treated.map(target).join(', ') || none(lang) }),
        ...offPlan.map((o) => t(lang, 'report.offPlan', { target: target(o.target), reason: o.reason })),
      ],
    },
    { title: t(lang, 'report.guidance'), lines: [caseGuidances(state).map((g) => t(lang, `guidance.${g}`)).join(', ') || none(lang)] },
    { title: t(lang, 'report.anaesthesia'), lines: anaesthesia.length ? anaesthesia : [none(lang)] },
    { title: t(lang, 'report.sedation'), lines: state.sedations.length ? state.sedations.map((s) => [s.drug, s.dose].filter(Boolean).join(' ')) : [none(lang)] },
    ...caseTargets(state)
      .filter((x) => state.cycles.some((c) => sameTarget(c.target, x)))
      .map((x) => ({ title: t(lang, 'report.cyclesAt', { target: target(x) }), lines: cyclesOf(x) })),
    {
      title: t(lang, 'report.devices'),
      lines: caseDevices(state).length
        ? caseDevices(state).map((d) =>
            [t(lang, `device_kind.${d.kind}`), d.gtin && `GTIN ${d.gtin}`, d.lot && `${t(lang, 'field.lot')} ${d.lot}`, d.serial && `${t(lang, 'field.serial')} ${d.serial}`, d.expiry && `${t(lang, 'field.expiry')} ${d.expiry}`]
              .filter(Boolean)
              .join(' — '),
          )
        : [none(lang)],
    },
    {
      title: t(lang, 'report.dose'),
      lines: caseDoses(state).length
        ? caseDoses(state).map((d) =>
            [
              `${t(lang, `guidance.${d.modality}`)} — ${d.equipment}`,
              ...(['dlpMgyCm', 'ctdiVolMgy', 'dapGyCm2', 'fluoroscopySeconds'] as const)
                .filter((f) => d[f] !== undefined)
                .map((f) => `${t(lang, `field.${f}`)} ${number(lang, d[f]!)}`),
            ].join(' — '),
          )
        : [none(lang)],
    },
    {
      title: t(lang, 'report.complications'),
      lines: state.complications.length
        ? state.complications.map((c) => `${t(lang, `complication.${c.kind}`)}, ${describeCirseGrade(lang, c.grade)}${c.note ? ` — ${c.note}` : ''}`)
        : [none(lang)],
    },
    { title: t(lang, 'report.outcome'), lines: [outcome] },
    { title: t(lang, 'report.operator'), lines: [operators.join(', ') || none(lang)] },
    { title: t(lang, 'report.conclusion'), lines: [report.conclusion?.trim() || t(lang, 'report.noConclusion')] },
  ];
  return { title: t(lang, 'report.title'), sections };
}

/** The report as one plain text: what is signed, printed and sent in the FHIR DiagnosticReport. */
export const reportText = (draft: ReportDraft): string =>
  [draft.title, '', ...draft.sections.flatMap((s) => [s.title, ...s.lines.map((l) => `  ${l}`), ''])].join('\n').trimEnd();
