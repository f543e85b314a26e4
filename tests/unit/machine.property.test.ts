import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_OF_EVENT,
  COMMAND_TYPES,
  DEFAULT_SETTINGS,
  FREEZE_TEMP_RANGE,
  MIN_ALDRETE,
  MIN_FREEZE_SECONDS,
  MIN_PADSS,
  STAGES,
  TERMINAL_STAGES,
  alertsFor,
  canSend,
  clockAlerts,
  commandsAllowedIn,
  completeCycles,
  createCase,
  decideRoomReady,
  decide,
  evolve,
  fold,
  hasEscort,
  nextActions,
  nextStep,
  readinessBlockers,
  requiredObservationMinutes,
  roomChange,
  stageSince,
  targetProgress,
  targetsOf,
  toBoardCase,
  vitalsInRange,
  type Actor,
  type CaseEvent,
  type CaseState,
  type Command,
  type CommandType,
  type RoomView,
  ruleText,
} from '../../shared';
import { CASE_ID, T0, coordinator, fullChecklist, positionProbe, scheduleBody, signOut, timeOut } from './helpers/scenario';

const TIME_OUT = timeOut as Command & { type: 'confirm_time_out' };
const SIGN_OUT = signOut as Command & { type: 'confirm_sign_out' };

// The maximum doses written out again, independent of the shared table's arithmetic.
const MAX_MG_PER_KG: Record<string, [plain: number, epinephrine: number, ceilingPlain: number, ceilingEpi: number]> = {
  lidocaine: [4.5, 7, 300, 500],
  mepivacaine: [4.5, 7, Infinity, Infinity],
  ropivacaine: [3, 3, Infinity, Infinity],
  bupivacaine: [2, 2.5, Infinity, Infinity],
  levobupivacaine: [2, 2.5, Infinity, Infinity],
};
function doseShare(state: CaseState): number {
  const weight = state.checklist.weightKg!;
  return state.localAnesthesia.reduce((sum, d) => {
    const [plain, epi, cPlain, cEpi] = MAX_MG_PER_KG[d.agent]!;
    const max = d.withEpinephrine ? Math.min(epi * weight, cEpi) : Math.min(plain * weight, cPlain);
    return sum + (d.concentrationPercent * 10 * d.volumeMl) / max;
  }, 0);
}

// Whether a probe site lies on one of these targets: same nerve and level, and a side the target covers.
const SIDES: Record<string, string[]> = { left: ['left'], right: ['right'], bilateral: ['left', 'right'], midline: ['midline'] };
const onTarget = (targets: readonly { nerve: string; level?: string; side: string }[], site: { nerve: string; level?: string; side: string }) =>
  targets.some((t) => t.nerve === site.nerve && (t.level ?? '') === (site.level ?? '') && SIDES[site.side]!.every((x) => SIDES[t.side]!.includes(x)));

const ACTORS: Record<string, Actor> = {
  nurse: { id: 'n', name: 'N', role: 'nurse' },
  radiologist: { id: 'r', name: 'R', role: 'radiologist' },
  coordinator: { id: 'c', name: 'C', role: 'coordinator' },
  admin: { id: 'a', name: 'A', role: 'admin' },
};

// A handful of payload variants per command, mixing valid and rule-breaking values.
function payload(type: CommandType, v: number, now: string): Command {
  const pick = <T>(xs: readonly T[]): T => xs[v % xs.length]!;
  switch (type) {
    case 'reschedule_case': return { type, scheduledAt: now, plannedRoomId: pick(['r1', null, 'r9']) };
    case 'plan_targets': return { type, plannedTargets: [pick([{ nerve: 'genicular', side: 'right' as const }, { nerve: 'intercostal', level: 'T6', side: 'left' as const }])] };
    case 'record_checklist': return pick([
      fullChecklist as Command,
      { type, identityVerified: true },
      { type, contraindications: { raynaud: 'positive' } },
      { type, escort: null },
      fullChecklist as Command,
      fullChecklist as Command,
      { ...(fullChecklist as Command & { type: 'record_checklist' }), allergies: { has: true, allergens: ['local_anesthetic_amide'] } },
      { ...(fullChecklist as Command & { type: 'record_checklist' }), allergies: { has: true, allergens: ['benzodiazepine', 'chlorhexidine'] } },
      { type, allergies: { has: true } },
      { ...(fullChecklist as Command & { type: 'record_checklist' }), weightKg: 45 },
      fullChecklist as Command,
      { ...(fullChecklist as Command & { type: 'record_checklist' }), weightKg: undefined },
      { type, weightKg: 82 },
    ]);
    // Mostly the plan read aloud; sometimes the wrong side, a missing target or an item left unticked.
    case 'confirm_time_out': return pick([
      TIME_OUT,
      TIME_OUT,
      { ...TIME_OUT, targets: [{ nerve: 'intercostal', level: 'T5', side: 'right' }] },
      { ...TIME_OUT, targets: [] },
      { ...TIME_OUT, imagingReviewed: false },
      TIME_OUT,
    ]);
    case 'enter_room': return { type, roomId: pick(['r1', 'r1', 'r2']) };
    case 'give_sedation': return pick([{ type, drug: 'midazolam' }, { type, drug: 'Midazolam', allergyOverrideReason: 'Bénéfice attendu' }, { type, drug: 'MEOPA' }]);
    // Doses that add up past the maximum within a few injections, mixed agents, and overrides.
    case 'give_local_anesthesia': return pick([
      { type, agent: 'lidocaine', concentrationPercent: 1, volumeMl: 5 },
      { type, agent: 'lidocaine', concentrationPercent: 2, volumeMl: 10 },
      { type, agent: 'ropivacaine', concentrationPercent: 0.75, volumeMl: 20 },
      { type, agent: 'lidocaine', concentrationPercent: 1, volumeMl: 20, withEpinephrine: true },
      { type, agent: 'bupivacaine', concentrationPercent: 0.5, volumeMl: 10, allergyOverrideReason: 'Pas d’alternative' },
      { type, agent: 'mepivacaine', concentrationPercent: 1, volumeMl: 100 },
    ] as Command[]);
    // The planned target, its other side, a level left out, a nerve never planned (with and
    // without the radiologist's reason), and a reason made of spaces.
    case 'position_probe': return {
      ...(positionProbe as Command & { type: 'position_probe' }),
      ...pick([
        { target: { nerve: 'intercostal', level: 'T5', side: 'left' } },
        { target: { nerve: 'intercostal', level: 'T5', side: 'right' } },
        { target: { nerve: 'intercostal', side: 'left' } },
        { target: { nerve: 'genicular', side: 'right' } },
        { target: { nerve: 'genicular', side: 'right' }, offPlanReason: 'Douleur du genou associée' },
        { target: { nerve: 'intercostal', level: 'T5', side: 'bilateral' }, offPlanReason: 'Les deux côtés' },
        { target: { nerve: 'intercostal', level: 'T5', side: 'left' } },
        { target: { nerve: 'intercostal', level: 'T5', side: 'left' }, guidance: 'ct' },
      ] as const),
    };
    // A readable label, one past its expiry, and one with a mistyped check digit.
    case 'record_device': return pick([
      { type, kind: 'introducer', device: { gtin: '04006381333931', lot: 'INT1' } },
      { type, kind: 'gas_cylinder', device: { udi: '(01)04006381333931(17)200101(10)OLD' } },
      { type, kind: 'introducer', device: { gtin: '04006381333932', lot: 'INT1' } },
    ] as Command[]);
    // A CT dose, a typo in it, and a cone-beam CT dose.
    case 'record_dose': return pick([
      { type, modality: 'ct', equipment: 'Scanner', dlpMgyCm: 320, ctdiVolMgy: 9.5 },
      { type, modality: 'ct', equipment: 'Scanner', dlpMgyCm: 32000, ctdiVolMgy: 9.5 },
      { type, modality: 'cone_beam_ct', equipment: 'Artis', dapGyCm2: 12, fluoroscopySeconds: 90 },
    ] as Command[]);
    case 'record_report_conclusion': return { type, conclusion: pick(['Geste sans complication.', 'Cryoneurolyse efficace.']) };
    case 'sign_report': return pick([{ type, lang: 'fr' }, { type, lang: 'en', reason: 'Dose corrigée' }] as Command[]);
    case 'record_stimulation': return { type, result: pick(['none', 'motor', 'sensory', 'motor'] as const) };
    case 'start_freeze': return { type, gas: 'n2o', plannedSeconds: 120 };
    // Plausible and typo temperatures, "no ice ball" endings (a mis-tap, a gas failure) and the
    // contradictory or empty endings the rules refuse.
    case 'end_freeze': return pick([
      { type, lowestTempC: -80, thawMode: 'passive' },
      { type, noIceBall: true, thawMode: 'passive' },
      { type, lowestTempC: -85, iceBallMm: 10, thawMode: 'active' },
      { type, lowestTempC: -30, thawMode: 'passive' },
      { type, noIceBall: true, thawMode: 'active' },
      { type, lowestTempC: -130, thawMode: 'passive' },
      { type, noIceBall: true, lowestTempC: -80, thawMode: 'passive' },
      { type, lowestTempC: -120, thawMode: 'passive' },
      { type, thawMode: 'passive' },
      { type, noIceBall: true, iceBallMm: 5, thawMode: 'passive' },
      { type, lowestTempC: -40, noIceBall: false, thawMode: 'passive' },
    ] as Command[]);
    case 'abort': return { type, reason: 'malaise' };
    case 'record_vitals': return { type, heartRate: pick([70, 70, 40]), systolic: 120, diastolic: pick([70, 70, 70, 70, 120]), spo2: pick([98, 98, 98, 85]) };
    case 'confirm_sign_out': return pick([SIGN_OUT, SIGN_OUT, { ...SIGN_OUT, complicationsReviewed: false }]);
    case 'record_aldrete': return { type, activity: 2, respiration: 2, circulation: 2, consciousness: pick([2, 2, 0]), oxygenSaturation: pick([2, 1, 1, 0]) };
    case 'record_padss': return { type, vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: pick([2, 1, 0]), bleeding: pick([2, 2, 2, 0]) };
    case 'override_discharge_score': return { type, reason: 'signé' };
    case 'record_complication': return { type, kind: pick(['hematoma', 'other'] as const), grade: 1 };
    case 'record_pain_score': return { type, score: 3, moment: 'followup_d1' };
    case 'discharge': return { type, escortConfirmed: v % 7 !== 0, instructionsGiven: v % 11 !== 0 };
    case 'cancel': return { type, reason: pick(['no_show', 'other'] as const) };
    case 'transfer': return { type, destination: 'Réa' };
    case 'correct_last': return { type, reason: 'erreur' };
    default: return { type } as Command;
  }
}

const step = fc.record({
  plausible: fc.integer({ min: 0, max: 99 }),
  choice: fc.nat(),
  variant: fc.nat(),
  advanceMin: fc.constantFrom(0, 1, 2, 5, 8, 16, 31),
  backdateMin: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 600),
  futureSec: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 0, 0, 120),
  roleNoise: fc.integer({ min: 0, max: 99 }),
  roomReady: fc.boolean(),
});

// What is physically true of the probe, followed from the raw log rather than from the folded
// state: a correction rewrites the record, never the patient. A started freeze stays cold until a
// thaw ends; a motor response, once seen, stands until the probe moves.
interface Probe { cold: boolean; motor: boolean }

interface Trace {
  events: CaseEvent[];
  state: CaseState;
  probe: Probe;
  // The probe before the last uncorrected event: what undoing that event restores.
  probeBefore: Probe | null;
}

function probeAfter(trace: Trace, event: CaseEvent): { probe: Probe; probeBefore: Probe | null } {
  const p = trace.probe;
  switch (event.type) {
    case 'FreezeStarted': return { probe: { ...p, cold: true }, probeBefore: p };
    case 'ThawEnded': return { probe: { ...p, cold: false }, probeBefore: p };
    case 'ProbePositioned': return { probe: { ...p, motor: false }, probeBefore: p };
    case 'StimulationRecorded': return { probe: { ...p, motor: p.motor || event.data.result === 'motor' }, probeBefore: p };
    case 'LastCorrected': {
      const before = trace.probeBefore!;
      const undone = event.data.correctedType;
      return {
        probe: { cold: undone === 'FreezeStarted' ? p.cold : before.cold, motor: undone === 'StimulationRecorded' ? p.motor : before.motor },
        probeBefore: null,
      };
    }
    default: return { probe: p, probeBefore: p };
  }
}

const AFTER_PROBE: readonly string[] = ['probe_removed', 'dressing', 'observation', 'discharged'];

function check(trace: Trace, before: CaseState, event: CaseEvent, after: CaseState, now: string) {
  const frozen = before.stage === 'freezing' || before.stage === 'thawing';
  // The probe never leaves or moves while frozen / thawing, by the record and physically.
  if (event.type === 'ProbeRemoved' || event.type === 'ProbePositioned' || event.type === 'PatientTransferred') {
    expect(frozen).toBe(false);
    expect(trace.probe.cold, `${event.type} with a frozen probe`).toBe(false);
  }
  if (event.type === 'PatientTransferred') expect(before.probe.status).toBe('none');
  // Never two freezes at once, nor a freeze on a motor response.
  expect(after.cycles.filter((c) => c.thawEndedAt === null).length).toBeLessThanOrEqual(1);
  if (event.type === 'FreezeStarted') {
    expect(before.stage).toBe('probe_placement');
    expect(trace.probe.cold, 'a second freeze while the probe is cold').toBe(false);
    expect(trace.probe.motor, 'a freeze on a motor response').toBe(false);
  }
  // A motor response is never overwritten at the same position.
  if (event.type === 'StimulationRecorded') expect(trace.probe.motor, 'a result over a motor response').toBe(false);
  // Once the probe is out, every cycle on record has thawed.
  if (AFTER_PROBE.includes(after.stage)) expect(after.cycles.every((c) => c.thawEndedAt !== null)).toBe(true);
  // A freeze ends with a plausible temperature or with no ice ball, never both, never neither.
  for (const c of after.cycles.filter((c) => c.freezeEndedAt !== null)) {
    if (c.noIceBall) expect(c.lowestTempC === null && c.iceBallMm === null, `cycle ${c.index} no ice ball with a measure`).toBe(true);
    else expect(c.lowestTempC! >= FREEZE_TEMP_RANGE.min && c.lowestTempC! <= FREEZE_TEMP_RANGE.max, `cycle ${c.index} at ${c.lowestTempC}`).toBe(true);
  }
  // A cycle with no ice ball counts nowhere: not as complete, not towards a target, not on the board.
  // Read independently of the flag: a cycle froze when it recorded a temperature.
  const froze = after.cycles.filter((c) => c.lowestTempC !== null && c.thawEndedAt !== null);
  const complete = completeCycles(after);
  expect(complete.map((c) => c.index)).toEqual(froze.map((c) => c.index));
  expect(toBoardCase(after, now, DEFAULT_SETTINGS).cycleCount).toBe(froze.length);
  for (const planned of after.plannedTargets)
    expect(targetProgress(planned, complete.map((c) => c.target))).toBe(targetProgress(planned, froze.map((c) => c.target)));
  // The probe comes out after a cycle that made ice, or after an abort.
  if (event.type === 'ProbeRemoved' && !before.aborted)
    expect(before.cycles.some((c) => c.lowestTempC !== null && c.thawEndedAt !== null), 'probe out with no cycle that made ice').toBe(true);
  // Never discharged without the minimum observation, escort and PADSS (or override), recent normal vitals.
  if (event.type === 'PatientDischarged') {
    const start = before.observationStartedAt!;
    // Measured up to the server clock at most: a clock running ahead must not shorten observation.
    const end = Math.min(Date.parse(event.occurredAt), Date.parse(now));
    expect((end - Date.parse(start)) / 60_000).toBeGreaterThanOrEqual(requiredObservationMinutes(before.sedated, DEFAULT_SETTINGS));
    expect(hasEscort(before.checklist) && event.data.escortConfirmed && event.data.instructionsGiven).toBe(true);
    const padssOk = before.padss !== null && before.padss.at >= start && before.padss.total >= MIN_PADSS;
    const override = before.dischargeOverride;
    // An override counts only if signed by a radiologist after the latest PADSS.
    const overrideOk = override !== null && override.by.role === 'radiologist' && (before.padss === null || override.at >= before.padss.at);
    expect(padssOk || overrideOk).toBe(true);
    const lastVitals = before.vitals.filter((x) => x.at >= start).at(-1);
    expect(lastVitals && vitalsInRange(lastVitals)).toBeTruthy();
    const vitalsAge = (Date.parse(event.occurredAt) - Date.parse(lastVitals!.at)) / 60_000;
    expect(vitalsAge).toBeLessThanOrEqual(DEFAULT_SETTINGS.vitalsMaxAgeMinutes);
  }
  // Never back from a terminal stage.
  if (TERMINAL_STAGES.includes(before.stage)) expect(after.stage).toBe(before.stage);
  // The board reads observation_overdue from stageSince: in observation they are the same instant.
  if (after.stage === 'observation') expect(stageSince(after)).toBe(after.observationStartedAt);
  // Stages move only along the transition table (corrections move back to the previous state).
  if (event.type === 'LastCorrected') expect(after).toMatchObject({ stage: before.undo!.before.stage });
  else if (event.type !== 'CaseScheduled' && event.type !== 'PatientDemographicsUpdated') expect(targetsOf(before.stage, COMMAND_OF_EVENT[event.type])).toContain(after.stage);
  // Sedation always has an escort on file.
  if (event.type === 'SedationGiven') expect(hasEscort(before.checklist)).toBe(true);
  // The time-out confirms the plan, every item ticked.
  if (event.type === 'TimeOutConfirmed') {
    const key = (t: { nerve: string; level?: string; side: string }) => `${t.nerve}|${t.level ?? ''}|${t.side}`;
    expect(event.data.targets.map(key).sort()).toEqual(before.plannedTargets.map(key).sort());
    expect([event.data.identityConfirmed, event.data.procedureConfirmed, event.data.allergiesReviewed, event.data.anticoagulationReviewed, event.data.imagingReviewed, event.data.equipmentChecked]).toEqual(Array(6).fill(true));
  }
  // No local anaesthetic without a time-out and a weight, of a class the patient is allergic to
  // (unless a radiologist signed why), nor past the maximum dose.
  if (event.type === 'LocalAnesthesiaGiven') {
    expect(before.timeOut, 'local anaesthetic before the time-out').not.toBeNull();
    expect(before.checklist.weightKg).not.toBeNull();
    if (before.checklist.allergies?.allergens?.includes('local_anesthetic_amide'))
      expect(event.actor.role === 'radiologist' && (event.data.allergyOverrideReason ?? '').trim().length >= 3, 'amide given to an allergic patient').toBe(true);
    expect(doseShare(after), 'past the maximum dose').toBeLessThanOrEqual(1 + 1e-9);
  }
  if (event.type === 'SedationGiven' && /midazolam/i.test(event.data.drug) && before.checklist.allergies?.allergens?.includes('benzodiazepine'))
    expect(event.actor.role === 'radiologist' && (event.data.allergyOverrideReason ?? '').trim().length >= 3, 'benzodiazepine given to an allergic patient').toBe(true);
  // The probe is frozen only on a planned site or on one added with the radiologist's reason.
  if (event.type === 'FreezeStarted') {
    const site = before.probe.target!;
    const offPlan = before.offPlanTargets.filter((t) => t.reason.trim().length >= 3 && t.by.role === 'radiologist').map((t) => t.target);
    expect(onTarget(before.plannedTargets, site) || onTarget(offPlan, site), `freeze on ${JSON.stringify(site)}`).toBe(true);
    // Never the other side of a planned nerve.
    const samePlace = before.plannedTargets.filter((t) => t.nerve === site.nerve && (t.level ?? '') === (site.level ?? ''));
    if (samePlace.length > 0) expect(onTarget(samePlace, site), `wrong side ${JSON.stringify(site)}`).toBe(true);
  }
  // Never out of the room without a sign-out.
  if (event.type === 'ObservationStarted') expect(before.signOut, 'observation without a sign-out').not.toBeNull();
  // A freeze ending with a temperature lasted at least the minimum.
  if (event.type === 'FreezeEnded' && !event.data.noIceBall) {
    const started = before.cycles[before.cycles.length - 1]!.freezeStartedAt;
    expect(Date.parse(event.occurredAt) - Date.parse(started)).toBeGreaterThanOrEqual(MIN_FREEZE_SECONDS * 1000);
  }
  if (event.type === 'VitalsRecorded') expect(event.data.diastolic).toBeLessThan(event.data.systolic);
  // A sedated patient goes home after an Aldrete score of at least 9 during observation.
  if (event.type === 'PatientDischarged' && before.sedated)
    expect(before.aldrete !== null && before.aldrete.at >= before.observationStartedAt! && before.aldrete.total >= MIN_ALDRETE).toBe(true);
  expect(after.version).toBe(trace.events.length);
}

// The events still standing: each correction removes the event it reverted (one level deep, and a
// correction is never itself corrected).
function standing(events: readonly CaseEvent[]): CaseEvent[] {
  const out: CaseEvent[] = [];
  for (const e of events) if (e.type === 'LastCorrected') out.pop(); else out.push(e);
  return out;
}

const roundTrip = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

// An independent account of the state the server reports (evolved one event at a time, corrections
// restoring a snapshot): replay only the standing events from scratch, as read back from the
// database. Only the bookkeeping of corrections may differ.
function checkAgainstStanding(trace: Trace) {
  const replayed = fold(roundTrip(standing(trace.events)));
  const { version: _v, corrections, undo: _u, ...rest } = trace.state;
  const { version: _v2, corrections: none, undo: _u2, ...restReplayed } = replayed;
  expect(rest).toEqual(restReplayed);
  expect(none).toEqual([]);
  expect(corrections).toHaveLength(trace.events.filter((e) => e.type === 'LastCorrected').length);
}

// Folding is deterministic, and the whole log survives a JSON round trip (the database) unchanged.
function checkStream(trace: Trace) {
  const folded = fold(roundTrip(trace.events));
  expect(folded).toEqual(trace.state);
  checkAgainstStanding(trace);
}

// The tablet offers correct_last exactly when the server would accept it.
function checkCorrectionOffer(state: CaseState, now: string, rooms: RoomView[]) {
  const at = now > state.lastOccurredAt ? now : state.lastOccurredAt;
  for (const actor of [ACTORS.nurse!, ACTORS.radiologist!]) {
    const offered = nextActions(state, actor.role, { rooms }).others.includes('correct_last');
    const accepted = decide({ type: 'correct_last', reason: 'erreur', occurredAt: at }, state, { now: at, actor, rooms, settings: DEFAULT_SETTINGS }).ok;
    if (offered !== accepted) expect(offered, `${actor.role} correct_last in ${state.stage}`).toBe(accepted);
  }
}

const CLOCK_CODES: readonly string[] = ['freeze_overrun', 'observation_overdue', 'waiting_ready_too_long', 'sedation_monitoring_overdue'];

// The wall screen keeps its clock-driven alerts running from the board case alone.
function checkBoardClock(state: CaseState, now: string) {
  const board = toBoardCase(state, now, DEFAULT_SETTINGS);
  for (const minutes of [1, 50, 80]) {
    const later = new Date(Date.parse(now) + minutes * 60_000).toISOString();
    const expected = alertsFor(state, later, DEFAULT_SETTINGS).filter((a) => CLOCK_CODES.includes(a.code));
    const actual = clockAlerts(board, later, DEFAULT_SETTINGS);
    // Compared cheaply first: this runs after every step of every run.
    if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual).toEqual(expected);
  }
}

describe('procedure day, random command sequences', () => {
  it('keeps every invariant after every accepted step', () => {
    // Which stages and events the random runs reached: a generator that never gets past admission
    // would prove nothing, so the test also asserts coverage.
    const reached = new Set<string>();

    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 60, size: 'max' }), (steps) => {
        let rooms: RoomView[] = [
          { id: 'r1', name: 'Salle 1', status: 'free', caseId: null },
          { id: 'r2', name: 'Salle 2', status: 'occupied', caseId: 'other' },
        ];
        let clock = Date.parse(T0);
        const iso = () => new Date(clock).toISOString();
        const created = createCase(CASE_ID, scheduleBody(), { now: iso(), actor: coordinator, rooms, settings: DEFAULT_SETTINGS });
        if (!created.ok) throw new Error('create refused');
        const trace: Trace = { events: [...created.events], state: fold(created.events), probe: { cold: false, motor: false }, probeBefore: null };

        for (const s of steps) {
          clock += s.advanceMin * 60_000;
          if (s.roomReady) {
            rooms = rooms.map((r) => { const d = decideRoomReady(r, ACTORS.nurse!); return d.ok ? d.room : r; });
          }
          const before = trace.state;
          const allowed = commandsAllowedIn(before.stage);
          checkCorrectionOffer(before, iso(), rooms);
          // Most of the time the flow's next step (so runs reach discharge), often a correction (the
          // undo paths are where safety holes hide), else a command the stage accepts, else anything
          // at all (refusals must hold too).
          const next = nextStep(before);
          // A careful radiologist tests stimulation before freezing: half the flows do.
          const flowStep =
            next === 'mark_ready' && readinessBlockers(before).length > 0 ? 'record_checklist'
            : next === 'start_freeze' && before.probe.stimulation === null && s.choice % 2 === 0 ? 'record_stimulation'
            : next;
          const type =
            s.plausible < 45 && flowStep ? flowStep
            : s.plausible < 57 && allowed.includes('correct_last') ? 'correct_last'
            : s.plausible < 88 ? allowed[s.choice % allowed.length]!
            : COMMAND_TYPES[s.choice % COMMAND_TYPES.length]!;
          // A correction is mostly attempted by the profession that entered the step.
          const undone = type === 'correct_last' ? before.undo?.eventType : undefined;
          const undoneBy = undone && undone !== 'CaseScheduled' && undone !== 'PatientDemographicsUpdated' ? Object.values(ACTORS).filter((a) => canSend(a.role, COMMAND_OF_EVENT[undone])) : [];
          const permitted = (s.variant % 4 !== 0 && undoneBy.length > 0 ? undoneBy : Object.values(ACTORS)).filter((a) => canSend(a.role, type));
          const actor = s.roleNoise < 90 && permitted.length > 0 ? permitted[s.choice % permitted.length]! : Object.values(ACTORS)[s.roleNoise % 4]!;
          const occurredAt = new Date(clock - s.backdateMin * 60_000 + s.futureSec * 1000).toISOString();
          const command = { ...payload(type, s.variant, iso()), occurredAt };
          const d = decide(command, before, { now: iso(), actor, rooms, settings: DEFAULT_SETTINGS });
          if (!d.ok) {
            reached.add(`refused:${d.rejection.rule}`);
            expect(ruleText('fr', d.rejection.rule, d.rejection.params)).not.toBe('');
            if (!canSend(actor.role, type)) expect(d.rejection.code).toBe('forbidden');
            continue;
          }
          expect(d.events).toHaveLength(1);
          const event = d.events[0]!;
          // occurredAt never in the future beyond the skew, never before the previous step.
          expect(Date.parse(event.occurredAt)).toBeLessThanOrEqual(clock + DEFAULT_SETTINGS.clockSkewSeconds * 1000);
          expect(event.occurredAt >= before.lastOccurredAt).toBe(true);
          trace.events.push(event);
          const after = evolve(before, event);
          trace.state = after;
          reached.add(after.stage);
          reached.add(event.type === 'LastCorrected' ? `LastCorrected:${event.data.correctedType}` : event.type);
          if (event.type === 'FreezeEnded' && event.data.noIceBall) reached.add('FreezeEnded:noIceBall');
          if (event.type === 'ProbePositioned' && after.offPlanTargets.length > before.offPlanTargets.length) reached.add('ProbePositioned:off plan');
          if (event.type === 'LocalAnesthesiaGiven' && doseShare(after) > 0.8) reached.add('LocalAnesthesiaGiven:over 80 %');
          if (event.type === 'ProbeRemoved' && before.cycles.some((c) => c.noIceBall)) reached.add('ProbeRemoved:after a freeze with no ice');
          check(trace, before, event, after, iso());
          Object.assign(trace, probeAfter(trace, event));
          // Corrections are where the snapshot and the replay could part ways; the end of the run
          // checks the rest.
          if (event.type === 'LastCorrected') checkAgainstStanding(trace);
          checkBoardClock(after, iso());
          // One patient per room: a case only ever enters a free room, and a correction never puts
          // it back into a room someone else occupies.
          const change = roomChange(before, after);
          if (change?.status === 'occupied') {
            const room = rooms.find((r) => r.id === change.roomId)!;
            if (event.type === 'RoomEntered') expect(room.status).toBe('free');
            else expect(room.status !== 'occupied' || room.caseId === CASE_ID).toBe(true);
          }
          if (change) rooms = rooms.map((r) => (r.id === change.roomId ? { ...r, status: change.status, caseId: change.caseId } : r));
        }
        checkStream(trace);
      }),
      { numRuns: 2000 },
    );
    for (const s of STAGES) expect(reached, s).toContain(s);
    for (const e of [
      'PatientDischarged', 'FreezeEnded', 'FreezeEnded:noIceBall', 'ProbeRemoved:after a freeze with no ice', 'ProcedureAborted', 'LastCorrected:RoomEntered', 'LastCorrected:ThawEnded',
      'LastCorrected:ProbeRemoved', 'LastCorrected:ObservationStarted', 'LastCorrected:StimulationRecorded',
      'TimeOutConfirmed', 'SignOutConfirmed', 'AldreteRecorded', 'LastCorrected:TimeOutConfirmed', 'LastCorrected:SignOutConfirmed',
      'ProbePositioned:off plan', 'LocalAnesthesiaGiven:over 80 %',
      'refused:time_out_targets_mismatch', 'refused:time_out_incomplete', 'refused:time_out_required', 'refused:side_mismatch',
      'refused:target_not_planned', 'refused:max_dose_exceeded', 'refused:allergy_to_agent', 'refused:sign_out_incomplete',
      'refused:sign_out_required', 'refused:vitals_implausible', 'refused:freeze_too_short', 'refused:weight_missing', 'refused:checklist_closed',
    ])
      expect(reached, e).toContain(e);
    expect(reached).not.toContain('LastCorrected:FreezeStarted');
    // 2000 runs of up to 60 steps, each checked several ways: well over the default 30 s when the
    // 2-core machine is busy with browser tests.
  }, 180_000);
});
