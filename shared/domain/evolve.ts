import { anestheticMg } from './anesthetics';
import { checklistGaps, mergeChecklist } from './checklist';
import { sameDevice, type DeviceKind, type RecordedDevice } from './devices';
import { reportOf } from './procedure-report';
import type { Actor, CaseEvent, EventOf } from './events';
import { ALDRETE_ITEMS, PADSS_ITEMS, aldreteTotal, padssTotal } from './scores';
import { BEFORE_PROBE_STAGES } from './stages';
import { EMPTY_CHECKLIST, NO_PROBE, caseDevices, caseTargets, type CaseState, type FreezeCycle } from './state';
import { targetFit } from './targets';

// evolve(state, event) → state. Pure and total over valid streams; it trusts events (decide()
// already refused what breaks a rule) and throws only on a corrupt stream.
export function evolve(state: CaseState | null, event: CaseEvent): CaseState {
  if (event.type === 'CaseScheduled') {
    if (state !== null) throw new Error('evolve: CaseScheduled on an existing case');
    return scheduled(event);
  }
  if (state === null) throw new Error(`evolve: ${event.type} before CaseScheduled`);
  if (event.type === 'PatientDemographicsUpdated') return withDemographics(state, event.data.patient);
  if (event.type === 'LastCorrected') {
    const undo = state.undo;
    if (!undo) throw new Error('evolve: LastCorrected with nothing to correct');
    return {
      ...undo.before,
      ...(undo.eventType === 'ChecklistRecorded' ? { checklist: withoutNewPositives(state.checklist, undo.before.checklist) } : {}),
      version: state.version + 1,
      corrections: [
        ...state.corrections,
        {
          at: event.occurredAt,
          by: event.actor,
          reason: event.data.reason,
          correctedType: event.data.correctedType,
          correctedOccurredAt: state.lastOccurredAt,
        },
      ],
      undo: null,
    };
  }
  const next = apply(state, event);
  return {
    ...next,
    version: state.version + 1,
    lastOccurredAt: event.occurredAt,
    stageHistory:
      next.stage === state.stage ? next.stageHistory : [...next.stageHistory, { stage: next.stage, at: event.occurredAt }],
    undo: { before: { ...state, undo: null }, eventType: event.type },
  };
}

/**
 * Correcting a checklist save that found a contraindication takes back what saving again cannot (a
 * re-save may change any answer but not withdraw a positive screening): the screenings that save made
 * positive return to what they were, every other answer it recorded stays, so a typo on Raynaud does
 * not wipe the escort typed with it.
 */
function withoutNewPositives(after: CaseState['checklist'], before: CaseState['checklist']): CaseState['checklist'] {
  const contraindications = { ...after.contraindications };
  const keys = (Object.keys(contraindications) as (keyof typeof contraindications)[]).filter(
    (key) => contraindications[key] === 'positive' && before.contraindications[key] !== 'positive',
  );
  // A save that found nothing positive is simply undone: any answer it changed can be saved again.
  if (keys.length === 0) return before;
  for (const key of keys) {
    if (before.contraindications[key] === undefined) delete contraindications[key];
    else contraindications[key] = before.contraindications[key];
  }
  return { ...after, contraindications };
}

export function fold(events: readonly CaseEvent[]): CaseState {
  let state: CaseState | null = null;
  for (const e of events) state = evolve(state, e);
  if (state === null) throw new Error('fold: no events');
  return state;
}

/**
 * The hospital's record changed the patient's identity: the case follows, and nothing else moves. It
 * is no step of the day, so the step a nurse may still correct stays the one before it (knowing the new
 * name), and the back-dating bound stays the last step's time.
 */
function withDemographics(state: CaseState, patient: EventOf<'PatientDemographicsUpdated'>['data']['patient']): CaseState {
  // A record that does not say the sex leaves the one on file.
  const identity = { ...state.patient, firstName: patient.firstName, lastName: patient.lastName, birthDate: patient.birthDate, ...(patient.sex ? { sex: patient.sex } : {}) };
  return {
    ...state,
    version: state.version + 1,
    patient: identity,
    undo: state.undo ? { ...state.undo, before: { ...state.undo.before, patient: identity } } : null,
  };
}

function scheduled(event: EventOf<'CaseScheduled'>): CaseState {
  const d = event.data;
  return {
    id: d.caseId,
    version: 1,
    stage: 'scheduled',
    patient: { ...d.patient },
    scheduledAt: d.scheduledAt,
    plannedRoomId: d.plannedRoomId ?? null,
    plannedTargets: d.plannedTargets,
    indicationNote: d.indicationNote ?? null,
    plannedSedation: d.plannedSedation ?? false,
    ...(d.appointment ? { appointment: { ...d.appointment } } : {}),
    roomId: null,
    procedureRoomId: null,
    checklist: EMPTY_CHECKLIST,
    sedated: false,
    sedations: [],
    localAnesthesia: [],
    timeOut: null,
    signOut: null,
    aldrete: null,
    offPlanTargets: [],
    aborted: false,
    abort: null,
    probe: NO_PROBE,
    cycles: [],
    devices: [],
    guidances: [],
    doses: [],
    vitals: [],
    complications: [],
    padss: null,
    dischargeOverride: null,
    observationStartedAt: null,
    painScores: [],
    stageHistory: [{ stage: 'scheduled', at: event.occurredAt }],
    cancellation: null,
    transfer: null,
    discharge: null,
    reschedules: [],
    corrections: [],
    createdAt: event.occurredAt,
    lastOccurredAt: event.occurredAt,
    undo: null,
  };
}

type Ordinary = Exclude<CaseEvent, { type: 'CaseScheduled' | 'LastCorrected' | 'PatientDemographicsUpdated' }>;

function updateLastCycle(state: CaseState, patch: Partial<FreezeCycle>): FreezeCycle[] {
  return state.cycles.map((c, i) => (i === state.cycles.length - 1 ? { ...c, ...patch } : c));
}

// A label scanned twice (the same probe moved to a second target, a double scan) is one device of
// the case; the probe's cycles still name it at each target.
function withDevice(
  s: CaseState,
  use: { at: string; by: Actor; kind: DeviceKind; target?: FreezeCycle['target'] },
  device: RecordedDevice,
): NonNullable<CaseState['devices']> {
  const devices = caseDevices(s);
  return devices.some((d) => d.kind === use.kind && sameDevice(d, device)) ? devices : [...devices, { ...use, ...device }];
}

function apply(s: CaseState, e: Ordinary): CaseState {
  const at = e.occurredAt;
  const by = e.actor;
  switch (e.type) {
    case 'CaseRescheduled':
      return {
        ...s,
        scheduledAt: e.data.scheduledAt,
        plannedRoomId: e.data.plannedRoomId === undefined ? s.plannedRoomId : e.data.plannedRoomId,
        plannedTargets: e.data.plannedTargets ?? s.plannedTargets,
        reschedules: [
          ...s.reschedules,
          { at, by, from: s.scheduledAt, to: e.data.scheduledAt, ...pick(e.data, 'reason', 'note') },
        ],
      };
    case 'TargetsPlanned':
      return { ...s, plannedTargets: e.data.plannedTargets };
    case 'PatientAdmitted':
      return { ...s, stage: 'admitted', ...(e.data.patientPhone ? { patientPhone: e.data.patientPhone } : {}) };
    case 'ChecklistRecorded': {
      const checklist = mergeChecklist(s.checklist, e.data);
      // A ready patient whose checklist stops being complete (escort gone, contraindication found)
      // is no longer ready.
      const stage = s.stage === 'ready' && checklistGaps(checklist).length > 0 ? 'admitted' : s.stage;
      return { ...s, checklist, stage };
    }
    case 'PatientMarkedReady':
      return { ...s, stage: 'ready' };
    case 'RoomEntered':
      return { ...s, stage: 'in_room', roomId: e.data.roomId, procedureRoomId: e.data.roomId };
    case 'TimeOutConfirmed':
      return { ...s, timeOut: { at, by, ...e.data } };
    case 'SedationGiven':
      return { ...s, sedated: true, sedations: [...s.sedations, { at, by, ...pick(e.data, 'drug', 'dose', 'allergyOverrideReason') }] };
    case 'LocalAnesthesiaGiven': {
      const d = e.data;
      return {
        ...s,
        stage: s.stage === 'in_room' ? 'local_anesthesia' : s.stage,
        localAnesthesia: [
          ...s.localAnesthesia,
          {
            at,
            by,
            ...pick(d, 'agent', 'concentrationPercent', 'volumeMl', 'withEpinephrine', 'allergyOverrideReason'),
            ...(typeof d.concentrationPercent === 'number' && typeof d.volumeMl === 'number'
              ? { mg: anestheticMg(d.concentrationPercent, d.volumeMl) }
              : {}),
          },
        ],
      };
    }
    case 'ProbePositioned': {
      // Kept only when it was really off the case's targets: a reason sent with a planned target
      // explains nothing and must not show that target as off-plan in the reports.
      const offPlan = e.data.offPlanReason !== undefined && targetFit(caseTargets(s), e.data.target) === 'not_planned';
      return {
        ...s,
        offPlanTargets: offPlan
          ? [...(s.offPlanTargets ?? []), { at, by, target: e.data.target, reason: e.data.offPlanReason! }]
          : s.offPlanTargets,
        stage: 'probe_placement',
        probe: {
          status: 'positioned',
          target: e.data.target,
          guidance: e.data.guidance,
          spec: e.data.probe,
          positionedAt: at,
          stimulation: null,
          device: e.data.device ?? s.probe.device ?? null,
        },
        guidances: [...new Set([...(s.guidances ?? []), e.data.guidance])],
        devices: e.data.device ? withDevice(s, { at, by, kind: 'cryoprobe', target: e.data.target }, e.data.device) : caseDevices(s),
      };
    }
    case 'DeviceRecorded':
      return { ...s, devices: withDevice(s, { at, by, kind: e.data.kind }, e.data.device) };
    case 'StimulationRecorded':
      return { ...s, probe: { ...s.probe, stimulation: e.data.result } };
    case 'FreezeStarted': {
      const p = s.probe;
      if (!p.target || !p.guidance || !p.spec) throw new Error('evolve: FreezeStarted without a positioned probe');
      const cycle: FreezeCycle = {
        index: s.cycles.length + 1,
        target: p.target,
        guidance: p.guidance,
        probe: p.spec,
        gas: e.data.gas,
        freezeStartedAt: at,
        plannedSeconds: e.data.plannedSeconds,
        freezeEndedAt: null,
        noIceBall: false,
        lowestTempC: null,
        iceBallMm: null,
        thawMode: null,
        thawEndedAt: null,
        stimulation: p.stimulation,
        operator: by,
        ...(p.device ? { device: p.device } : {}),
      };
      return { ...s, stage: 'freezing', probe: { ...p, status: 'freezing' }, cycles: [...s.cycles, cycle] };
    }
    case 'FreezeEnded':
      return {
        ...s,
        stage: 'thawing',
        probe: { ...s.probe, status: 'thawing' },
        cycles: updateLastCycle(s, {
          freezeEndedAt: at,
          noIceBall: e.data.noIceBall === true,
          lowestTempC: e.data.lowestTempC ?? null,
          iceBallMm: e.data.iceBallMm ?? null,
          thawMode: e.data.thawMode,
        }),
      };
    case 'ThawEnded':
      return {
        ...s,
        stage: 'probe_placement',
        probe: { ...s.probe, status: 'idle' },
        cycles: updateLastCycle(s, { thawEndedAt: at }),
      };
    case 'ProbeRemoved':
      return { ...s, stage: 'probe_removed', probe: NO_PROBE };
    case 'ProcedureAborted': {
      // With no probe in the patient there is nothing left to remove: go straight to probe_removed.
      const noProbe = BEFORE_PROBE_STAGES.includes(s.stage);
      return {
        ...s,
        aborted: true,
        abort: { at, by, reason: e.data.reason },
        stage: noProbe ? 'probe_removed' : s.stage,
      };
    }
    case 'DressingApplied':
      return { ...s, stage: 'dressing' };
    case 'DoseRecorded':
      return {
        ...s,
        doses: [...(s.doses ?? []), { at, by, ...pick(e.data, 'modality', 'equipment', 'dlpMgyCm', 'ctdiVolMgy', 'dapGyCm2', 'fluoroscopySeconds') }],
      };
    case 'SignOutConfirmed':
      return { ...s, signOut: { at, by, ...e.data } };
    case 'ObservationStarted':
      return { ...s, stage: 'observation', observationStartedAt: at, roomId: null };
    case 'VitalsRecorded':
      return { ...s, vitals: [...s.vitals, { at, by, ...e.data }] };
    case 'AldreteRecorded': {
      const d = e.data;
      return { ...s, aldrete: { ...pick(d, ...ALDRETE_ITEMS), total: aldreteTotal(d), at, by } };
    }
    case 'PadssRecorded': {
      const d = e.data;
      // An override signed before this score stays on record; the discharge rule (overrideStands)
      // no longer counts it. Clearing it here would change what stored logs mean when refolded.
      return { ...s, padss: { ...pick(d, ...PADSS_ITEMS), total: padssTotal(d), at, by } };
    }
    case 'DischargeScoreOverridden':
      return { ...s, dischargeOverride: { at, by, reason: e.data.reason } };
    case 'ComplicationRecorded':
      return { ...s, complications: [...s.complications, { at, by, ...pick(e.data, 'kind', 'grade', 'note') }] };
    case 'PainScoreRecorded':
      return { ...s, painScores: [...s.painScores, { at, by, ...pick(e.data, 'score', 'moment') }] };
    case 'PatientDischarged':
      return {
        ...s,
        stage: 'discharged',
        discharge: { at, by, ...pick(e.data, 'escortConfirmed', 'instructionsGiven') },
      };
    case 'CaseCancelled':
      return { ...s, stage: 'cancelled', cancellation: { at, by, ...pick(e.data, 'reason', 'note') } };
    case 'ReportConclusionRecorded':
      return { ...s, report: { ...reportOf(s), conclusion: e.data.conclusion } };
    case 'ReportSigned': {
      const report = reportOf(s);
      const signature = { version: e.data.version, at, by, lang: e.data.lang, text: e.data.text, ...pick(e.data, 'reason') };
      return { ...s, report: { ...report, signatures: [...report.signatures, signature] } };
    }
    case 'PatientTransferred':
      return {
        ...s,
        stage: 'transferred',
        roomId: null,
        transfer: { at, by, ...pick(e.data, 'destination', 'note') },
      };
    default: {
      const unreachable: never = e;
      throw new Error(`evolve: unknown event ${(unreachable as { type: string }).type}`);
    }
  }
}

// Copies only the named fields that are present, so undefined never leaks into state and a state
// folded from JSON-roundtripped events deep-equals one folded in memory.
function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
