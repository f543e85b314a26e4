import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMMAND_OF_EVENT,
  COMMAND_TYPES,
  DEFAULT_SETTINGS,
  MIN_PADSS,
  STAGES,
  TERMINAL_STAGES,
  canSend,
  commandsAllowedIn,
  createCase,
  decideRoomReady,
  decide,
  evolve,
  fold,
  hasEscort,
  nextStep,
  readinessBlockers,
  requiredObservationMinutes,
  roomChange,
  targetsOf,
  vitalsInRange,
  type Actor,
  type CaseEvent,
  type CaseState,
  type Command,
  type CommandType,
  type RoomView,
} from '../../shared';
import { CASE_ID, T0, coordinator, fullChecklist, positionProbe, scheduleBody } from './helpers/scenario';

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
    case 'record_checklist': return pick([
      fullChecklist as Command,
      { type, identityVerified: true },
      { type, contraindications: { raynaud: 'positive' } },
      { type, escort: null },
      fullChecklist as Command,
      fullChecklist as Command,
    ]);
    case 'enter_room': return { type, roomId: pick(['r1', 'r1', 'r2']) };
    case 'give_sedation': return { type, drug: 'midazolam' };
    case 'give_local_anesthesia': return { type, agent: 'lidocaïne' };
    case 'position_probe': return { ...(positionProbe as Command & { type: 'position_probe' }), target: { nerve: 'intercostal', side: pick(['left', 'right'] as const) } };
    case 'record_stimulation': return { type, result: pick(['none', 'sensory', 'motor'] as const) };
    case 'start_freeze': return { type, gas: 'n2o', plannedSeconds: 120 };
    case 'end_freeze': return { type, lowestTempC: pick([-80, -85, -30, -130, -120, -40]), thawMode: 'passive' };
    case 'abort': return { type, reason: 'malaise' };
    case 'record_vitals': return { type, heartRate: pick([70, 70, 40]), systolic: 120, diastolic: 70, spo2: pick([98, 98, 98, 85]) };
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

interface Trace { events: CaseEvent[]; state: CaseState }

function check(trace: Trace, before: CaseState, event: CaseEvent, after: CaseState) {
  const frozen = before.stage === 'freezing' || before.stage === 'thawing';
  // The probe never leaves or moves while frozen / thawing.
  if (event.type === 'ProbeRemoved' || event.type === 'ProbePositioned' || event.type === 'PatientTransferred') expect(frozen).toBe(false);
  if (event.type === 'PatientTransferred') expect(before.probe.status).toBe('none');
  // Never two freezes at once.
  expect(after.cycles.filter((c) => c.thawEndedAt === null).length).toBeLessThanOrEqual(1);
  if (event.type === 'FreezeStarted') expect(before.stage).toBe('probe_placement');
  // Never discharged without the minimum observation, escort and PADSS (or override), recent normal vitals.
  if (event.type === 'PatientDischarged') {
    const start = before.observationStartedAt!;
    const minutes = (Date.parse(event.occurredAt) - Date.parse(start)) / 60_000;
    expect(minutes).toBeGreaterThanOrEqual(requiredObservationMinutes(before.sedated, DEFAULT_SETTINGS));
    expect(hasEscort(before.checklist) && event.data.escortConfirmed && event.data.instructionsGiven).toBe(true);
    const padssOk = before.padss !== null && before.padss.at >= start && before.padss.total >= MIN_PADSS;
    expect(padssOk || (before.dischargeOverride !== null && before.dischargeOverride.by.role === 'radiologist')).toBe(true);
    const lastVitals = before.vitals.filter((x) => x.at >= start).at(-1);
    expect(lastVitals && vitalsInRange(lastVitals)).toBeTruthy();
  }
  // Never back from a terminal stage, except by correcting the very step that closed the case.
  if (TERMINAL_STAGES.includes(before.stage) && after.stage !== before.stage) {
    expect(event.type).toBe('LastCorrected');
    expect(['PatientDischarged', 'CaseCancelled', 'PatientTransferred']).toContain(event.type === 'LastCorrected' ? event.data.correctedType : '');
  }
  // Stages move only along the transition table (corrections move back to the previous state).
  if (event.type === 'LastCorrected') expect(after).toMatchObject({ stage: before.undo!.before.stage });
  else if (event.type !== 'CaseScheduled') expect(targetsOf(before.stage, COMMAND_OF_EVENT[event.type])).toContain(after.stage);
  // Sedation always has an escort on file.
  if (event.type === 'SedationGiven') expect(hasEscort(before.checklist)).toBe(true);
  expect(after.version).toBe(trace.events.length);
}

// The state the server reports (folded step by step from decide's events) is the fold of the
// stream, folding is deterministic, and events survive a JSON round trip (the database) unchanged.
function checkStream(trace: Trace) {
  const folded = fold(trace.events);
  expect(folded).toEqual(trace.state);
  expect(fold(trace.events)).toEqual(folded);
  expect(fold(JSON.parse(JSON.stringify(trace.events)) as CaseEvent[])).toEqual(folded);
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
        const trace: Trace = { events: [...created.events], state: fold(created.events) };

        for (const s of steps) {
          clock += s.advanceMin * 60_000;
          if (s.roomReady) {
            rooms = rooms.map((r) => { const d = decideRoomReady(r, ACTORS.nurse!); return d.ok ? d.room : r; });
          }
          const before = trace.state;
          const allowed = commandsAllowedIn(before.stage);
          // Half the time the flow's next step (so runs reach discharge), else a command the stage
          // accepts, else anything at all (refusals must hold too).
          const next = nextStep(before);
          const flowStep = next === 'mark_ready' && readinessBlockers(before).length > 0 ? 'record_checklist' : next;
          const type =
            s.plausible < 50 && flowStep ? flowStep
            : s.plausible < 88 ? allowed[s.choice % allowed.length]!
            : COMMAND_TYPES[s.choice % COMMAND_TYPES.length]!;
          const permitted = Object.values(ACTORS).filter((a) => canSend(a.role, type));
          const actor = s.roleNoise < 90 && permitted.length > 0 ? permitted[s.choice % permitted.length]! : Object.values(ACTORS)[s.roleNoise % 4]!;
          const occurredAt = new Date(clock - s.backdateMin * 60_000 + s.futureSec * 1000).toISOString();
          const command = { ...payload(type, s.variant, iso()), occurredAt };
          const d = decide(command, before, { now: iso(), actor, rooms, settings: DEFAULT_SETTINGS });
          if (!d.ok) {
            expect(d.rejection.message.fr).not.toBe('');
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
          check(trace, before, event, after);
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
    for (const e of ['PatientDischarged', 'FreezeEnded', 'ProcedureAborted', 'LastCorrected:CaseCancelled', 'LastCorrected:RoomEntered'])
      expect(reached, e).toContain(e);
  });
});
