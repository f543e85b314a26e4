import type { Allergen } from './allergens';
import type { AnestheticDose } from './anesthetics';
import type { EventType } from './command-types';
import type { DeviceKind, RecordedDevice } from './devices';
import type { DoseFigures, DoseModality } from './dose';
import type { ReportRecord } from './procedure-report';
import type { Actor } from './events';
import type { CancelReason, ComplicationKind, Contraindication, PainMoment, ScreeningResult, Sex } from './reasons';
import type { Stage } from './stages';
import type { Gas, Guidance, StimulationResult, Target, ThawMode } from './targets';
import type { VitalSigns } from './vitals';

export interface Patient {
  firstName: string;
  lastName: string;
  mrn: string;
  birthDate: string;
  sex?: Sex;
}

export interface DrugDeclaration {
  taken: boolean;
  managed?: boolean;
}

// Cases recorded before allergens were codes carry only `has` and `details`.
export interface Allergies {
  has: boolean;
  allergens?: Allergen[];
  details?: string;
}

// Every item starts undeclared (null / undefined): "not asked yet" is not the same as "no".
export interface Checklist {
  identityVerified: boolean;
  consentSigned: boolean;
  anticoagulants: DrugDeclaration | null;
  antiInflammatories: DrugDeclaration | null;
  allergies: Allergies | null;
  // Absent from projections stored before it existed: read it with `== null`.
  weightKg: number | null;
  escort: { name: string; phone: string } | null;
  contraindications: Partial<Record<Contraindication, ScreeningResult>>;
}

export interface ProbeSpec {
  type: string;
  gauge: number;
}

export type ProbeStatus = 'none' | 'positioned' | 'freezing' | 'thawing' | 'idle';

// The probe as it is now: where it sits and what it is doing.
export interface ProbeState {
  status: ProbeStatus;
  target: Target | null;
  guidance: Guidance | null;
  spec: ProbeSpec | null;
  positionedAt: string | null;
  // Stimulation tested at this position; cleared when the probe moves.
  stimulation: StimulationResult | null;
  // The probe's lot: a probe moved to the next target without a new scan is the same probe.
  // Absent from projections stored before devices were recorded.
  device?: RecordedDevice | null;
}

export interface FreezeCycle {
  index: number;
  target: Target;
  guidance: Guidance;
  probe: ProbeSpec;
  gas: Gas;
  freezeStartedAt: string;
  plannedSeconds: number;
  freezeEndedAt: string | null;
  // The freeze ended with no ice ball (the gas failed, the start was a mis-tap): kept on record, the
  // probe still thawed before it moved, but it treated nothing and never counts as a cycle.
  // Absent from projections stored before it existed, so read it as a flag (true or not).
  noIceBall: boolean;
  lowestTempC: number | null;
  iceBallMm: number | null;
  thawMode: ThawMode | null;
  thawEndedAt: string | null;
  stimulation: StimulationResult | null;
  operator: Actor;
  // The probe that froze, when its label was recorded (absent from projections stored before devices).
  device?: RecordedDevice;
}

/** A single-use item that went into the patient, with where (a probe's target) and when it was recorded. */
export type DeviceUse = Timed & RecordedDevice & { kind: DeviceKind; target?: Target };

export interface VitalsRecord extends VitalSigns {
  at: string;
  by: Actor;
}

export interface PadssRecord {
  vitalSigns: number;
  activity: number;
  nauseaVomiting: number;
  pain: number;
  bleeding: number;
  total: number;
  at: string;
  by: Actor;
}

export interface Timed {
  at: string;
  by: Actor;
}

// The second moment of the safety checklist, as the team confirmed it aloud.
export interface TimeOutRecord extends Timed {
  identityConfirmed: boolean;
  procedureConfirmed: boolean;
  targets: Target[];
  siteMarked: boolean;
  allergiesReviewed: boolean;
  anticoagulationReviewed: boolean;
  imagingReviewed: boolean;
  equipmentChecked: boolean;
}

// The third moment, before the patient leaves the room.
export interface SignOutRecord extends Timed {
  cyclesReviewed: boolean;
  complicationsReviewed: boolean;
  instructionsHandedOver: boolean;
}

export interface AldreteRecord extends Timed {
  activity: number;
  respiration: number;
  circulation: number;
  consciousness: number;
  oxygenSaturation: number;
  total: number;
}

// mg is absent from entries recorded before agents were codes (they carry no concentration).
export type LocalAnesthesiaRecord = Timed & AnestheticDose & { mg?: number; allergyOverrideReason?: string };

// A target the radiologist treated outside the plan, with the reason given at the probe.
export interface OffPlanTarget extends Timed {
  target: Target;
  reason: string;
}

/** The dose of one guided act as the console showed it, and the machine. */
export type DoseRecord = Timed & DoseFigures & { modality: DoseModality; equipment: string };

export interface CaseState {
  id: string;
  version: number;
  stage: Stage;
  patient: Patient;
  scheduledAt: string;
  plannedRoomId: string | null;
  plannedTargets: Target[];
  indicationNote: string | null;
  plannedSedation: boolean;
  // The hospital's numbers for the booking, when an interface made it (absent otherwise, and before interfaces).
  appointment?: { placer?: string; filler?: string };
  // Room the patient is in right now (null before entering and after leaving for observation).
  roomId: string | null;
  // Room where the procedure took place, kept after the patient leaves it.
  procedureRoomId: string | null;
  checklist: Checklist;
  // Given at admission; absent when not given (and from projections stored before it existed).
  patientPhone?: string;
  sedated: boolean;
  sedations: (Timed & { drug: string; dose?: string; allergyOverrideReason?: string })[];
  // Entries recorded before agents were codes lack concentrationPercent; recordedDoses() skips them.
  localAnesthesia: LocalAnesthesiaRecord[];
  // Absent from projections stored before the safety moments existed (read as null / empty).
  timeOut: TimeOutRecord | null;
  signOut: SignOutRecord | null;
  aldrete: AldreteRecord | null;
  offPlanTargets: OffPlanTarget[];
  aborted: boolean;
  abort: (Timed & { reason: string }) | null;
  probe: ProbeState;
  cycles: FreezeCycle[];
  // Every device recorded for the case, in order (absent from projections stored before devices: read `?? []`).
  devices?: DeviceUse[];
  // Every imaging guidance the probe was placed under, and the doses recorded (absent from projections stored before them).
  guidances?: Guidance[];
  doses?: DoseRecord[];
  // The procedure report: the conclusion being written and every signed version (absent before reports existed).
  report?: ReportRecord;
  vitals: VitalsRecord[];
  complications: (Timed & { kind: ComplicationKind; grade: number; note?: string })[];
  padss: PadssRecord | null;
  dischargeOverride: (Timed & { reason: string }) | null;
  observationStartedAt: string | null;
  painScores: (Timed & { score: number; moment: PainMoment })[];
  stageHistory: { stage: Stage; at: string }[];
  cancellation: (Timed & { reason: CancelReason; note?: string }) | null;
  transfer: (Timed & { destination: string; note?: string }) | null;
  discharge: (Timed & { escortConfirmed: boolean; instructionsGiven: boolean }) | null;
  reschedules: (Timed & { from: string; to: string; reason?: CancelReason; note?: string })[];
  // correctedOccurredAt: when the corrected step had happened (absent from projections stored before it existed).
  corrections: (Timed & { reason: string; correctedType: EventType; correctedOccurredAt?: string })[];
  createdAt: string;
  // occurredAt of the last effective event: back-dating may not go before it.
  lastOccurredAt: string;
  // What correct_last restores: the state before the last event. Only one level deep on purpose,
  // which is why a correction cannot itself be corrected.
  undo: { before: CaseState; eventType: EventType } | null;
}

export const EMPTY_CHECKLIST: Checklist = {
  identityVerified: false,
  consentSigned: false,
  anticoagulants: null,
  antiInflammatories: null,
  allergies: null,
  weightKg: null,
  escort: null,
  contraindications: {},
};

export const NO_PROBE: ProbeState = {
  status: 'none',
  target: null,
  guidance: null,
  spec: null,
  positionedAt: null,
  stimulation: null,
  device: null,
};

export const stageSince = (state: CaseState): string =>
  state.stageHistory[state.stageHistory.length - 1]?.at ?? state.createdAt;

// Every freeze but one that ended with no ice ball, which stays on record (and is marked) but treated
// nothing: what the cycle counts, freeze times and temperatures of the reports are made of.
// Projections stored before the flag existed lack it, hence the comparison with true.
export const madeIceBall = (c: Pick<FreezeCycle, 'noIceBall'>): boolean => c.noIceBall !== true;

// A cycle counts once it has frozen with an ice ball and thawed: for the targets treated, the probe
// removal, the board and every report.
export const isCompleteCycle = (c: FreezeCycle): boolean => c.freezeEndedAt !== null && c.thawEndedAt !== null && madeIceBall(c);

export const completeCycles = (state: CaseState): FreezeCycle[] => state.cycles.filter(isCompleteCycle);

export const currentCycle = (state: CaseState): FreezeCycle | undefined => {
  const last = state.cycles[state.cycles.length - 1];
  return last && last.thawEndedAt === null ? last : undefined;
};

// Every target of the case: the plan, then what was added at the probe with a reason.
export const caseTargets = (state: Pick<CaseState, 'plannedTargets' | 'offPlanTargets'>): Target[] => [
  ...state.plannedTargets,
  ...(state.offPlanTargets ?? []).map((t) => t.target),
];

// The local anaesthetics that count towards the maximum dose (legacy free-text entries carry no dose).
export const recordedDoses = (state: Pick<CaseState, 'localAnesthesia'>): (LocalAnesthesiaRecord & { mg: number })[] =>
  state.localAnesthesia.filter((d): d is LocalAnesthesiaRecord & { mg: number } => typeof d.mg === 'number');

export const caseDevices = (state: Pick<CaseState, 'devices'>): DeviceUse[] => state.devices ?? [];

export const caseGuidances = (state: Pick<CaseState, 'guidances' | 'cycles'>): Guidance[] => [
  ...new Set([...(state.guidances ?? []), ...state.cycles.map((c) => c.guidance)]),
];
export const caseDoses = (state: Pick<CaseState, 'doses'>): DoseRecord[] => state.doses ?? [];
