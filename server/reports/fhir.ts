import { createHash } from 'node:crypto';
import {
  LOCAL_ANESTHETIC_AGENTS,
  caseDevices,
  describeCirseGrade,
  draftReport,
  reportOf,
  reportText,
  describeTarget,
  isKnownNerve,
  madeIceBall,
  painScoresOf,
  sameDevice,
  t,
  targetLabel,
  type Allergen,
  type CaseState,
  type DeviceUse,
  type FreezeCycle,
  type Lang,
  type LocalAnestheticAgent,
  type Side,
  type Stage,
  type Target,
} from '../../shared';
import { milestones } from './timing';

/**
 * A case as a FHIR R4 Bundle (type collection). Pure: the same state gives the same bundle, ids
 * included (name-based UUIDs), so two exports of a finished case are byte-for-byte comparable.
 * docs/fhir-mapping.md explains every choice; keep the two in step.
 */

export type FhirResource = { resourceType: string } & Record<string, unknown>;
export interface FhirBundle {
  resourceType: 'Bundle';
  type: 'collection';
  timestamp: string;
  entry: { fullUrl: string; resource: FhirResource }[];
}

export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const UCUM = 'http://unitsofmeasure.org';
/** Local code systems and identifier namespace: placeholders the hospital swaps for its own OIDs. */
export const CRYODAY_SYSTEM = 'urn:cryoday';
export const MRN_SYSTEM = `${CRYODAY_SYSTEM}:mrn`;
export const NERVE_SYSTEM = `${CRYODAY_SYSTEM}:target-nerve`;
export const COMPLICATION_SYSTEM = `${CRYODAY_SYSTEM}:complication`;
export const GAS_SYSTEM = `${CRYODAY_SYSTEM}:cryogen`;
export const OBSERVATION_SYSTEM = `${CRYODAY_SYSTEM}:observation`;
export const ALLERGEN_SYSTEM = `${CRYODAY_SYSTEM}:allergen`;
export const ATC = 'http://www.whocc.no/atc';

/** WHO ATC codes of the local anaesthetics (the plain substance; epinephrine is said in the text). */
export const ANESTHETIC_ATC: Record<LocalAnestheticAgent, string> = {
  lidocaine: 'N01BB02',
  mepivacaine: 'N01BB03',
  ropivacaine: 'N01BB09',
  bupivacaine: 'N01BB01',
  levobupivacaine: 'N01BB10',
};

/** SNOMED CT 716186003 |No known allergy (situation)|, as the International Patient Summary uses it. */
export const NO_KNOWN_ALLERGY = { system: SNOMED, code: '716186003', display: 'No known allergy (situation)' } as const;

const ALLERGY_CATEGORY: Record<Allergen, 'medication' | 'environment' | null> = {
  local_anesthetic_amide: 'medication',
  local_anesthetic_ester: 'medication',
  chlorhexidine: 'medication',
  povidone_iodine: 'medication',
  latex: 'environment',
  iodinated_contrast: 'medication',
  benzodiazepine: 'medication',
  opioid: 'medication',
  other: null,
};

/** SNOMED CT 26782000 |Cryotherapy (procedure)|: see docs/fhir-mapping.md for why not a narrower concept. */
export const PROCEDURE_CODE = { system: SNOMED, code: '26782000', display: 'Cryotherapy (procedure)' } as const;

// The four qualifiers of HL7's structure-laterality value set.
export const LATERALITY: Record<Side, { system: string; code: string; display: string }> = {
  left: { system: SNOMED, code: '7771000', display: 'Left (qualifier value)' },
  right: { system: SNOMED, code: '24028007', display: 'Right (qualifier value)' },
  bilateral: { system: SNOMED, code: '51440002', display: 'Right and left (qualifier value)' },
  midline: { system: SNOMED, code: '399488007', display: 'Midline (qualifier value)' },
};

export const VITALS_LOINC = {
  heartRate: { code: '8867-4', display: 'Heart rate' },
  bpPanel: { code: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { code: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure' },
  spo2: { code: '2708-6', display: 'Oxygen saturation in Arterial blood' },
  spo2Pulse: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
  temperature: { code: '8310-5', display: 'Body temperature' },
  pain: { code: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' },
} as const;

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

/** A name-based (version 5 style) UUID: stable for a given case and part. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update(`cryoday:${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

const ENCOUNTER_STATUS: Record<Stage, 'planned' | 'arrived' | 'in-progress' | 'finished' | 'cancelled'> = {
  scheduled: 'planned',
  admitted: 'arrived',
  ready: 'arrived',
  in_room: 'in-progress',
  local_anesthesia: 'in-progress',
  probe_placement: 'in-progress',
  freezing: 'in-progress',
  thawing: 'in-progress',
  probe_removed: 'in-progress',
  dressing: 'in-progress',
  observation: 'in-progress',
  discharged: 'finished',
  cancelled: 'cancelled',
  transferred: 'finished',
};

export const encounterStatus = (stage: Stage) => ENCOUNTER_STATUS[stage];

export function procedureStatus(state: CaseState): 'preparation' | 'in-progress' | 'completed' | 'stopped' | 'not-done' {
  if (state.stage === 'cancelled') return 'not-done';
  const m = milestones(state);
  if (m.inRoomAt === null) return 'preparation';
  if (m.probeRemovedAt !== null) return state.aborted ? 'stopped' : 'completed';
  return state.stage === 'transferred' ? 'stopped' : 'in-progress';
}

const period = (start: string | null | undefined, end: string | null | undefined) =>
  start ? { start, ...(end ? { end } : {}) } : undefined;

const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0))) as T;

function targetConcept(lang: Lang, target: Target) {
  const text = describeTarget(lang, target);
  return compact({
    coding: isKnownNerve(target.nerve) ? [{ system: NERVE_SYSTEM, code: target.nerve, display: targetLabel('en', target.nerve) }] : undefined,
    text,
  });
}

const sameSite = (a: Target, b: Target) => a.nerve === b.nerve && (a.level ?? '') === (b.level ?? '') && a.side === b.side;

/** The targets actually treated (from the cycles that made an ice ball), or the planned ones when nothing was frozen. */
function treatedTargets(state: CaseState): Target[] {
  const froze = state.cycles.filter(madeIceBall);
  const source = froze.length ? froze.map((c) => c.target) : state.plannedTargets;
  return source.filter((target, i) => source.findIndex((o) => sameSite(o, target)) === i);
}

export interface FhirOptions {
  lang: Lang;
  rooms: ReadonlyMap<string, string>;
  /** The bundle's timestamp: when it was assembled. */
  now: string;
}

export function caseBundle(state: CaseState, options: FhirOptions): FhirBundle {
  const { lang, rooms } = options;
  const urn = (part: string) => `urn:uuid:${nameUuid(`${state.id}:${part}`)}`;
  const entries: { fullUrl: string; resource: FhirResource }[] = [];
  const add = (fullUrl: string, resource: FhirResource) => entries.push({ fullUrl, resource: compact(resource) });
  const m = milestones(state);
  const patientRef = { reference: urn('patient') };
  const encounterRef = { reference: urn('encounter') };
  const procedureRef = { reference: urn('procedure') };

  add(urn('patient'), {
    resourceType: 'Patient',
    identifier: [
      {
        use: 'usual',
        type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR', display: 'Medical record number' }] },
        system: MRN_SYSTEM,
        value: state.patient.mrn,
      },
    ],
    name: [{ use: 'official', family: state.patient.lastName, given: [state.patient.firstName] }],
    gender: state.patient.sex ?? 'unknown',
    birthDate: state.patient.birthDate,
  });

  const roomId = state.procedureRoomId;
  const roomUrn = roomId ? urn(`location:${roomId}`) : null;
  if (roomId && roomUrn) {
    add(roomUrn, {
      resourceType: 'Location',
      status: 'active',
      name: rooms.get(roomId) ?? roomId,
      mode: 'instance',
      physicalType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/location-physical-type', code: 'ro', display: 'Room' }] },
    });
  }

  // Consecutive stages with the same encounter status collapse into one period.
  const statusHistory: { status: string; period: { start: string; end?: string } }[] = [];
  for (const [i, h] of state.stageHistory.entries()) {
    const status = encounterStatus(h.stage);
    const next = state.stageHistory[i + 1]?.at;
    const last = statusHistory.at(-1);
    if (last && last.status === status) {
      if (next) last.period.end = next;
      else delete last.period.end;
    } else {
      statusHistory.push({ status, period: { start: h.at, ...(next ? { end: next } : {}) } });
    }
  }
  const endedAt = state.discharge?.at ?? state.transfer?.at ?? state.cancellation?.at ?? null;
  const locations = [
    ...(roomUrn && m.inRoomAt
      ? [{ location: { reference: roomUrn, display: rooms.get(roomId!) ?? roomId! }, status: m.leftRoomAt ? 'completed' : 'active', period: period(m.inRoomAt, m.leftRoomAt) }]
      : []),
    ...(m.observationAt
      ? [{ location: { display: t(lang, 'export.observationBay') }, status: m.dischargedAt ? 'completed' : 'active', period: period(m.observationAt, m.dischargedAt) }]
      : []),
  ];
  add(urn('encounter'), {
    resourceType: 'Encounter',
    status: encounterStatus(state.stage),
    statusHistory,
    class: { system: ACT_CODE, code: 'AMB', display: 'ambulatory' },
    type: [{ text: t(lang, 'export.encounter') }],
    subject: patientRef,
    period: period(m.admittedAt ?? (state.stage === 'cancelled' ? state.cancellation?.at : undefined), endedAt),
    location: locations,
    hospitalization:
      state.discharge || state.transfer
        ? {
            dischargeDisposition: state.discharge
              ? { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'home', display: 'Home' }] }
              : { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/discharge-disposition', code: 'oth', display: 'Other' }], text: state.transfer!.destination },
          }
        : undefined,
  });

  const targets = treatedTargets(state);
  const bodyStructures = targets.map((target, i) => {
    const fullUrl = urn(`body-structure:${i}`);
    const laterality = LATERALITY[target.side];
    add(fullUrl, {
      resourceType: 'BodyStructure',
      location: targetConcept(lang, target),
      locationQualifier: [{ coding: [laterality], text: t(lang, `side.${target.side}`) }],
      description: targetConcept(lang, target).text,
      patient: patientRef,
    });
    return fullUrl;
  });

  const devices = addDevices(state, lang, { urn, add, patientRef });
  const deviceOf = (device: FreezeCycle['device']) => (device ? devices.find((d) => sameDevice(d.device, device)) : undefined);

  const operators = [...new Map(state.cycles.map((c) => [c.operator.id, c.operator.name])).values()];
  const status = procedureStatus(state);
  add(urn('procedure'), {
    resourceType: 'Procedure',
    extension: bodyStructures.map((reference) => ({
      url: 'http://hl7.org/fhir/StructureDefinition/procedure-targetBodyStructure',
      valueReference: { reference },
    })),
    status,
    statusReason:
      status === 'not-done' && state.cancellation
        ? { text: [t(lang, `cancel_reason.${state.cancellation.reason}`), state.cancellation.note].filter(Boolean).join(' — ') }
        : state.abort
          ? { text: t(lang, 'export.aborted', { reason: state.abort.reason }) }
          : undefined,
    code: { coding: [PROCEDURE_CODE], text: t(lang, 'export.procedure') },
    subject: patientRef,
    encounter: encounterRef,
    performedPeriod: period(m.inRoomAt, m.probeRemovedAt ?? (state.stage === 'transferred' ? state.transfer?.at : null)),
    performer: operators.map((name) => ({ function: { text: t(lang, 'export.radiologist') }, actor: { display: name } })),
    location: roomUrn ? { reference: roomUrn } : undefined,
    bodySite: targets.map((target) => targetConcept(lang, target)),
    complication: state.complications.map((c) => ({
      coding: [{ system: COMPLICATION_SYSTEM, code: c.kind, display: t('en', `complication.${c.kind}`) }],
      text: `${t(lang, `complication.${c.kind}`)}, ${describeCirseGrade(lang, c.grade)}${c.note ? ` — ${c.note}` : ''}`,
    })),
    note: procedureNotes(state, lang),
    focalDevice: devices.map((d) => ({ action: { text: t(lang, `device_kind.${d.device.kind}`) }, manipulated: { reference: d.fullUrl } })),
  });

  for (const cycle of state.cycles) addCycle(cycle);
  addSafetyRecord(state, lang, { urn, add, patientRef, encounterRef, procedureRef, admittedAt: m.admittedAt });
  addProcedureReport(state, lang, { urn, add, patientRef, encounterRef });

  function addCycle(cycle: FreezeCycle) {
    const cycleUrn = urn(`cycle:${cycle.index}`);
    const gas = t(lang, `gas.${cycle.gas}`);
    // A freeze that made no ice ball treated nothing: `not-done` (terminated before any activity
    // beyond preparation), with the reason, and no performed period, rather than left out, so the
    // record of the attempt travels with the case.
    const notDone = !madeIceBall(cycle);
    add(cycleUrn, {
      resourceType: 'Procedure',
      partOf: [procedureRef],
      status: notDone ? 'not-done' : cycle.thawEndedAt ? 'completed' : 'in-progress',
      statusReason: notDone ? { text: t(lang, 'export.noIceBall') } : undefined,
      code: { coding: [PROCEDURE_CODE], text: `${t(lang, 'export.cycle', { n: cycle.index })} — ${gas}` },
      subject: patientRef,
      encounter: encounterRef,
      performedPeriod: notDone ? undefined : period(cycle.freezeStartedAt, cycle.thawEndedAt),
      performer: [{ function: { text: t(lang, 'export.radiologist') }, actor: { display: cycle.operator.name } }],
      location: roomUrn ? { reference: roomUrn } : undefined,
      bodySite: [targetConcept(lang, cycle.target)],
      usedCode: [
        { coding: [{ system: GAS_SYSTEM, code: cycle.gas, display: t('en', `gas.${cycle.gas}`) }], text: gas },
        { text: t(lang, 'export.probe', { type: cycle.probe.type, gauge: cycle.probe.gauge }) },
      ],
      usedReference: deviceOf(cycle.device) ? [{ reference: deviceOf(cycle.device)!.fullUrl }] : undefined,
      note: [
        t(lang, 'export.guidance', { g: t(lang, `guidance.${cycle.guidance}`) }),
        t(lang, 'export.plannedFreeze', { s: cycle.plannedSeconds }),
        cycle.thawMode ? t(lang, 'export.thaw', { m: t(lang, `thaw_mode.${cycle.thawMode}`) }) : null,
        cycle.stimulation ? t(lang, 'export.stimulation', { r: t(lang, `stimulation.${cycle.stimulation}`) }) : null,
      ]
        .filter((text): text is string => text !== null)
        .map((text) => ({ text })),
    });
    const measured = (part: string, code: string, label: string, value: number, unit: string, ucum: string) =>
      add(urn(`cycle:${cycle.index}:${part}`), {
        resourceType: 'Observation',
        status: 'final',
        partOf: [{ reference: cycleUrn }],
        category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'procedure', display: 'Procedure' }] }],
        code: { coding: [{ system: OBSERVATION_SYSTEM, code, display: label }], text: label },
        subject: patientRef,
        encounter: encounterRef,
        effectivePeriod: period(cycle.freezeStartedAt, cycle.freezeEndedAt),
        valueQuantity: { value, unit, system: UCUM, code: ucum },
      });
    if (cycle.lowestTempC !== null)
      measured('temp', 'probe-lowest-temperature', t(lang, 'export.lowestTemp'), cycle.lowestTempC, '°C', 'Cel');
    if (cycle.iceBallMm !== null) measured('ice-ball', 'ice-ball-diameter', t(lang, 'export.iceBall'), cycle.iceBallMm, 'mm', 'mm');
  }

  const vitalsCategory = [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'vital-signs', display: 'Vital Signs' }], text: 'Vital Signs' }];
  const loinc = (c: { code: string; display: string }) => ({ system: LOINC, ...c });
  const quantity = (value: number, unit: string, code: string) => ({ value, unit, system: UCUM, code });
  state.vitals.forEach((v, i) => {
    const base = {
      resourceType: 'Observation',
      status: 'final',
      category: vitalsCategory,
      subject: patientRef,
      encounter: encounterRef,
      effectiveDateTime: v.at,
      performer: [{ display: v.by.name }],
    };
    add(urn(`vitals:${i}:hr`), {
      ...base,
      code: { coding: [loinc(VITALS_LOINC.heartRate)], text: VITALS_LOINC.heartRate.display },
      valueQuantity: quantity(v.heartRate, 'beats/minute', '/min'),
    });
    add(urn(`vitals:${i}:bp`), {
      ...base,
      code: { coding: [loinc(VITALS_LOINC.bpPanel)], text: 'Blood pressure' },
      component: [
        { code: { coding: [loinc(VITALS_LOINC.systolic)] }, valueQuantity: quantity(v.systolic, 'mmHg', 'mm[Hg]') },
        { code: { coding: [loinc(VITALS_LOINC.diastolic)] }, valueQuantity: quantity(v.diastolic, 'mmHg', 'mm[Hg]') },
      ],
    });
    add(urn(`vitals:${i}:spo2`), {
      ...base,
      code: { coding: [loinc(VITALS_LOINC.spo2), loinc(VITALS_LOINC.spo2Pulse)], text: 'SpO2' },
      valueQuantity: quantity(v.spo2, '%', '%'),
    });
    if (v.temperatureC !== undefined)
      add(urn(`vitals:${i}:temp`), {
        ...base,
        code: { coding: [loinc(VITALS_LOINC.temperature)], text: VITALS_LOINC.temperature.display },
        valueQuantity: quantity(v.temperatureC, 'C', 'Cel'),
      });
  });

  const painScores = painScoresOf(state).map((p) => ({ ...p, moment: p.moment ? t(lang, `pain_moment.${p.moment}`) : null }));
  painScores.forEach((p, i) =>
    add(urn(`pain:${i}`), {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: OBSERVATION_CATEGORY, code: 'survey', display: 'Survey' }] }],
      code: { coding: [loinc(VITALS_LOINC.pain)], text: VITALS_LOINC.pain.display },
      subject: patientRef,
      encounter: encounterRef,
      effectiveDateTime: p.at,
      performer: [{ display: p.by.name }],
      valueInteger: p.score,
      note: p.moment ? [{ text: p.moment }] : undefined,
    }),
  );

  return { resourceType: 'Bundle', type: 'collection', timestamp: options.now, entry: entries };
}

type Annotation = { text: string; time?: string; authorString?: string };

// A sedation dose is free text: "1 mg" becomes a UCUM quantity (a FHIR dosage needs one), anything
// else travels as a note.
const UCUM_OF: Record<string, string> = { mg: 'mg', µg: 'ug', mcg: 'ug', g: 'g', ml: 'mL' };
/** GS1's issuer of device identifiers, as the FHIR UDI guidance names it. */
export const GS1_ISSUER = 'http://hl7.org/fhir/NamingSystem/gs1-di';

// One Device per single-use item the case recorded, tied to the patient; the procedure and each
// cycle point at theirs, so a recall that names a lot finds the act.
function addDevices(
  state: CaseState,
  lang: Lang,
  w: { urn: (part: string) => string; add: (fullUrl: string, resource: FhirResource) => void; patientRef: { reference: string } },
): { fullUrl: string; device: DeviceUse }[] {
  return caseDevices(state).map((device, i) => {
    const fullUrl = w.urn(`device:${i}`);
    const scan = device.udi;
    w.add(fullUrl, {
      resourceType: 'Device',
      udiCarrier: device.gtin
        ? [
            {
              deviceIdentifier: device.gtin,
              issuer: GS1_ISSUER,
              // A scan with brackets is the label's human-readable form; a raw one is what the barcode holds.
              ...(scan?.startsWith('(') ? { carrierHRF: scan } : scan ? { carrierAIDC: Buffer.from(scan, 'utf8').toString('base64') } : {}),
            },
          ]
        : undefined,
      status: 'active',
      manufactureDate: device.productionDate,
      expirationDate: device.expiry,
      lotNumber: device.lot,
      serialNumber: device.serial,
      type: { text: t(lang, `device_kind.${device.kind}`) },
      patient: w.patientRef,
    });
    return { fullUrl, device };
  });
}

/** LOINC 18748-4 |Diagnostic imaging study|: the report of an image-guided act. */
export const REPORT_CODE = { system: LOINC, code: '18748-4', display: 'Diagnostic imaging study' } as const;

// The signed procedure report (its latest version, amended when there was an earlier one) or, before
// any signature, the draft as preliminary; the text travels whole as the report's presented form.
function addProcedureReport(
  state: CaseState,
  lang: Lang,
  w: { urn: (part: string) => string; add: (fullUrl: string, resource: FhirResource) => void; patientRef: { reference: string }; encounterRef: { reference: string } },
) {
  if (!['probe_removed', 'dressing', 'observation', 'discharged', 'transferred'].includes(state.stage)) return;
  const report = reportOf(state);
  const signed = report.signatures.at(-1);
  const text = signed?.text ?? reportText(draftReport(state, lang));
  w.add(w.urn('diagnostic-report'), {
    resourceType: 'DiagnosticReport',
    status: !signed ? 'preliminary' : report.signatures.length > 1 ? 'amended' : 'final',
    code: { coding: [REPORT_CODE], text: t(signed?.lang ?? lang, 'report.title') },
    subject: w.patientRef,
    encounter: w.encounterRef,
    issued: signed?.at,
    resultsInterpreter: signed ? [{ display: signed.by.name }] : undefined,
    conclusion: report.conclusion ?? undefined,
    presentedForm: [
      { contentType: 'text/plain; charset=utf-8', language: signed?.lang ?? lang, data: Buffer.from(text, 'utf8').toString('base64'), title: t(signed?.lang ?? lang, 'report.title') },
    ],
  });
}

function doseQuantity(text: string) {
  const m = /^\s*(\d+(?:[.,]\d+)?)\s*(mg|µg|mcg|g|ml)\s*$/i.exec(text);
  if (!m) return undefined;
  const code = UCUM_OF[m[2]!.toLowerCase()]!;
  return { value: Number(m[1]!.replace(',', '.')), unit: m[2]!, system: UCUM, code };
}

/** The indication, then the time-out, the off-plan targets and the sign-out, each with who and when. */
function procedureNotes(state: CaseState, lang: Lang): Annotation[] {
  const site = (x: Target) => describeTarget(lang, x);
  const notes: Annotation[] = state.indicationNote ? [{ text: state.indicationNote }] : [];
  const timeOut = state.timeOut;
  if (timeOut)
    notes.push({
      authorString: timeOut.by.name,
      time: timeOut.at,
      text: t(lang, 'export.timeOut', { targets: timeOut.targets.map(site).join(', '), marked: timeOut.siteMarked ? 'yes' : 'no' }),
    });
  for (const off of state.offPlanTargets ?? [])
    notes.push({ authorString: off.by.name, time: off.at, text: t(lang, 'export.offPlan', { target: site(off.target), reason: off.reason }) });
  if (state.signOut) notes.push({ authorString: state.signOut.by.name, time: state.signOut.at, text: t(lang, 'export.signOut') });
  return notes;
}

interface BundleWriter {
  urn: (part: string) => string;
  add: (fullUrl: string, resource: FhirResource) => void;
  patientRef: { reference: string };
  encounterRef: { reference: string };
  procedureRef: { reference: string };
  admittedAt: string | null;
}

/** Weight, allergies, the drugs given and the recovery score: what the procedure room checked and gave. */
function addSafetyRecord(state: CaseState, lang: Lang, w: BundleWriter) {
  const { urn, add, patientRef, encounterRef, procedureRef } = w;
  const weight = state.checklist.weightKg;
  if (weight != null)
    add(urn('body-weight'), {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }] }],
      code: { coding: [{ system: LOINC, code: '29463-7', display: 'Body weight' }], text: t(lang, 'export.bodyWeight') },
      subject: patientRef,
      encounter: encounterRef,
      effectiveDateTime: w.admittedAt ?? undefined,
      valueQuantity: { value: weight, unit: 'kg', system: UCUM, code: 'kg' },
    });

  const allergies = state.checklist.allergies;
  const clinical = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active', display: 'Active' }] };
  const verification = (code: 'confirmed' | 'unconfirmed') => ({
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code, display: code === 'confirmed' ? 'Confirmed' : 'Unconfirmed' }],
  });
  if (allergies && !allergies.has)
    add(urn('allergy:none'), {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: clinical,
      verificationStatus: verification('confirmed'),
      code: { coding: [NO_KNOWN_ALLERGY], text: t(lang, 'allergy.none') },
      patient: patientRef,
      encounter: encounterRef,
    });
  // Declared by the patient at the checklist, not tested here: unconfirmed.
  if (allergies?.has) {
    const allergens = allergies.allergens ?? [];
    const details = allergies.details?.trim() ? [{ text: allergies.details.trim() }] : undefined;
    const entries = allergens.length ? allergens : [null];
    entries.forEach((allergen, i) => {
      const category = allergen ? ALLERGY_CATEGORY[allergen] : null;
      add(urn(`allergy:${allergen ?? i}`), {
        resourceType: 'AllergyIntolerance',
        clinicalStatus: clinical,
        verificationStatus: verification('unconfirmed'),
        category: category ? [category] : undefined,
        code: allergen
          ? { coding: [{ system: ALLERGEN_SYSTEM, code: allergen, display: t('en', `allergen.${allergen}`) }], text: t(lang, `allergen.${allergen}`) }
          : { text: allergies.details?.trim() || t(lang, 'reports.unspecified') },
        patient: patientRef,
        encounter: encounterRef,
        note: details,
      });
    });
  }

  const mgQuantity = (value: number) => ({ value, unit: 'mg', system: UCUM, code: 'mg' });
  state.localAnesthesia.forEach((d, i) => {
    const known = (LOCAL_ANESTHETIC_AGENTS as readonly string[]).includes(d.agent) && typeof d.mg === 'number';
    const name = known ? t(lang, `anesthetic.${d.agent}`) : d.agent;
    const formulation = known ? `${name} ${d.concentrationPercent} %${d.withEpinephrine ? ` ${t(lang, 'export.withEpinephrine')}` : ''}` : name;
    add(urn(`local-anesthesia:${i}`), {
      resourceType: 'MedicationAdministration',
      status: 'completed',
      partOf: [procedureRef],
      medicationCodeableConcept: known
        ? { coding: [{ system: ATC, code: ANESTHETIC_ATC[d.agent], display: t('en', `anesthetic.${d.agent}`) }], text: formulation }
        : { text: formulation },
      subject: patientRef,
      context: encounterRef,
      effectiveDateTime: d.at,
      performer: [{ actor: { display: d.by.name } }],
      note: d.allergyOverrideReason ? [{ text: t(lang, 'export.allergyOverride', { reason: d.allergyOverrideReason }) }] : undefined,
      dosage: known
        ? { text: `${formulation}, ${d.volumeMl} mL = ${d.mg} mg`, dose: mgQuantity(d.mg!) }
        : typeof d.volumeMl === 'number'
          ? { text: `${d.volumeMl} mL`, dose: { value: d.volumeMl, unit: 'mL', system: UCUM, code: 'mL' } }
          : undefined,
    });
  });
  state.sedations.forEach((s, i) =>
    add(urn(`sedation:${i}`), {
      resourceType: 'MedicationAdministration',
      status: 'completed',
      partOf: [procedureRef],
      medicationCodeableConcept: { text: s.drug },
      subject: patientRef,
      context: encounterRef,
      effectiveDateTime: s.at,
      performer: [{ actor: { display: s.by.name } }],
      note: [
        ...(s.allergyOverrideReason ? [{ text: t(lang, 'export.allergyOverride', { reason: s.allergyOverrideReason }) }] : []),
        ...(s.dose && !doseQuantity(s.dose) ? [{ text: s.dose }] : []),
      ],
      dosage: s.dose && doseQuantity(s.dose) ? { text: s.dose, dose: doseQuantity(s.dose) } : undefined,
    }),
  );

  const aldrete = state.aldrete;
  if (aldrete) {
    const item = (code: string, value: number) => ({
      code: { coding: [{ system: OBSERVATION_SYSTEM, code: `aldrete-${code}`, display: code }] },
      valueInteger: value,
    });
    add(urn('aldrete'), {
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' }] }],
      code: { coding: [{ system: OBSERVATION_SYSTEM, code: 'modified-aldrete-score', display: 'Modified Aldrete score' }], text: t(lang, 'export.aldrete') },
      subject: patientRef,
      encounter: encounterRef,
      effectiveDateTime: aldrete.at,
      performer: [{ display: aldrete.by.name }],
      valueInteger: aldrete.total,
      component: [
        item('activity', aldrete.activity),
        item('respiration', aldrete.respiration),
        item('circulation', aldrete.circulation),
        item('consciousness', aldrete.consciousness),
        item('oxygen-saturation', aldrete.oxygenSaturation),
      ],
    });
  }
}
