import { LOCAL_ANESTHETIC_AGENTS, aldreteTotal, anestheticMg, describeCirseGrade, describeTarget, padssTotal, t, type Lang, type RecordedDevice, type Target } from '$shared';
import type { Room, TimelineEntry } from '$lib/api/client';

const target = (lang: Lang, x: Target) => describeTarget(lang, x);

// "Lot CP24117 · pér. 2027-12-31 · GTIN 0376…": the lot first, since a recall names it.
const deviceLine = (lang: Lang, d: RecordedDevice) =>
  [
    d.lot ? `${t(lang, 'field.lot')} ${d.lot}` : '',
    d.serial ? `${t(lang, 'field.serial')} ${d.serial}` : '',
    d.expiry ? `${t(lang, 'device.expires')} ${d.expiry}` : '',
    d.gtin ? `GTIN ${d.gtin}` : '',
  ]
    .filter(Boolean)
    .join(' · ');

/** One line saying what an event recorded, in the screen's language (the timeline's detail column). */
export function eventSummary(entry: TimelineEntry, lang: Lang, rooms: readonly Pick<Room, 'id' | 'name'>[] = []): string {
  switch (entry.type) {
    case 'CaseScheduled':
      return entry.data.plannedTargets.map((x) => target(lang, x)).join(', ');
    case 'PatientDemographicsUpdated': {
      // Who the case named before, then who it names now: the record's history reads in the timeline.
      const who = (p: typeof entry.data.patient) => `${p.lastName.toLocaleUpperCase('fr')} ${p.firstName}, ${p.birthDate}`;
      return `${who(entry.data.previous)} → ${who(entry.data.patient)}`;
    }
    case 'CaseRescheduled':
      return [
        entry.data.plannedTargets ? entry.data.plannedTargets.map((x) => target(lang, x)).join(', ') : '',
        entry.data.reason ? t(lang, `cancel_reason.${entry.data.reason}`) : '',
        entry.data.note ?? '',
      ]
        .filter(Boolean)
        .join(' — ');
    case 'TargetsPlanned': {
      const list = (xs: Target[]) => xs.map((x) => target(lang, x)).join(', ');
      return entry.data.previousTargets.length === 0
        ? t(lang, 'timeline.targetsCompleted', { targets: list(entry.data.plannedTargets) })
        : t(lang, 'timeline.targetsChanged', { before: list(entry.data.previousTargets), after: list(entry.data.plannedTargets) });
    }
    case 'RoomEntered':
      // A room no longer configured has no name left: say nothing rather than show an id.
      return rooms.find((r) => r.id === entry.data.roomId)?.name ?? '';
    case 'SedationGiven':
      return [entry.data.drug, entry.data.dose].filter(Boolean).join(' ');
    case 'LocalAnesthesiaGiven': {
      // Entries recorded before agents were codes carry the name as typed and no concentration.
      const d = entry.data;
      const known = (LOCAL_ANESTHETIC_AGENTS as readonly string[]).includes(d.agent);
      return [
        known ? t(lang, `anesthetic.${d.agent}`) : d.agent,
        d.concentrationPercent !== undefined ? `${d.concentrationPercent} %` : '',
        d.withEpinephrine ? t(lang, 'field.withEpinephrine') : '',
        d.volumeMl !== undefined ? `${d.volumeMl} mL` : '',
        d.concentrationPercent !== undefined && d.volumeMl !== undefined ? `${anestheticMg(d.concentrationPercent, d.volumeMl)} mg` : '',
        d.allergyOverrideReason ?? '',
      ]
        .filter(Boolean)
        .join(' · ');
    }
    case 'ProbePositioned':
      return [
        `${target(lang, entry.data.target)} · ${t(lang, `guidance.${entry.data.guidance}`)} · ${entry.data.probe.type} ${entry.data.probe.gauge} G`,
        entry.data.offPlanReason ? `${t(lang, 'common.colon', { label: t(lang, 'field.offPlanReason') })} ${entry.data.offPlanReason}` : '',
        entry.data.device ? deviceLine(lang, entry.data.device) : '',
      ]
        .filter(Boolean)
        .join(' — ');
    case 'DoseRecorded': {
      const d = entry.data;
      const figures = (['dlpMgyCm', 'ctdiVolMgy', 'dapGyCm2', 'fluoroscopySeconds'] as const)
        .filter((f) => d[f] !== undefined)
        .map((f) => `${t(lang, `field.${f}`)} ${d[f]}`);
      return [t(lang, `guidance.${d.modality}`), d.equipment, ...figures].join(' · ');
    }
    case 'DeviceRecorded':
      return `${t(lang, `device_kind.${entry.data.kind}`)} — ${deviceLine(lang, entry.data.device)}`;
    case 'TimeOutConfirmed':
      return entry.data.targets.map((x) => target(lang, x)).join(', ');
    case 'AldreteRecorded':
      return `Aldrete ${aldreteTotal(entry.data)}/10`;
    case 'StimulationRecorded':
      return t(lang, `stimulation.${entry.data.result}`);
    case 'FreezeStarted':
      return `${t(lang, `gas.${entry.data.gas}`)} · ${entry.data.plannedSeconds} s`;
    case 'FreezeEnded': {
      const d = entry.data;
      const ending = d.noIceBall === true ? t(lang, 'field.noIceBall') : `${d.lowestTempC} °C${d.iceBallMm !== undefined ? ` · ${d.iceBallMm} mm` : ''}`;
      return `${ending} · ${t(lang, `thaw_mode.${d.thawMode}`)}`;
    }
    case 'ProcedureAborted':
    case 'DischargeScoreOverridden':
      return entry.data.reason;
    case 'VitalsRecorded': {
      const v = entry.data;
      return `${t(lang, 'abbr.hr')} ${v.heartRate} · ${t(lang, 'abbr.bp')} ${v.systolic}/${v.diastolic} · SpO2 ${v.spo2} %${v.temperatureC !== undefined ? ` · ${v.temperatureC} °C` : ''}`;
    }
    case 'PadssRecorded':
      return `PADSS ${padssTotal(entry.data)}/10`;
    case 'ComplicationRecorded':
      return `${t(lang, `complication.${entry.data.kind}`)} · ${describeCirseGrade(lang, entry.data.grade)}${entry.data.note ? ` — ${entry.data.note}` : ''}`;
    case 'PainScoreRecorded':
      return `${entry.data.score}/10 · ${t(lang, `pain_moment.${entry.data.moment}`)}`;
    case 'PatientDischarged':
      return '';
    case 'CaseCancelled':
      return `${t(lang, `cancel_reason.${entry.data.reason}`)}${entry.data.note ? ` — ${entry.data.note}` : ''}`;
    case 'PatientTransferred':
      return `${entry.data.destination}${entry.data.note ? ` — ${entry.data.note}` : ''}`;
    case 'LastCorrected':
      return `${t(lang, `event.${entry.data.correctedType}`)} — ${entry.data.reason}`;
    default:
      return '';
  }
}
