import { expect } from 'vitest';
import {
  DEFAULT_SETTINGS,
  canSend,
  createCase,
  decide,
  fold,
  type Actor,
  type CaseEvent,
  type CaseState,
  type Command,
  type DecideContext,
  type Decision,
  type RoomView,
  type RuleName,
  type ScheduleCaseBody,
  type Settings,
  ruleText,
} from '../../../shared';

export const T0 = '2025-03-10T08:00:00.000Z';
export const at = (minutes: number): string => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
export const minutesOf = (iso: string): number => (Date.parse(iso) - Date.parse(T0)) / 60_000;

export const nurse: Actor = { id: 'u-nurse', name: 'Nadia Infirmière', role: 'nurse' };
export const radiologist: Actor = { id: 'u-radio', name: 'Dr Rémi Radio', role: 'radiologist' };
export const coordinator: Actor = { id: 'u-coord', name: 'Claire Coord', role: 'coordinator' };
export const admin: Actor = { id: 'u-admin', name: 'Alex Admin', role: 'admin' };

export const freeRooms = (): RoomView[] => [
  { id: 'r1', name: 'Salle 1', status: 'free', caseId: null },
  { id: 'r2', name: 'Salle 2', status: 'occupied', caseId: 'someone-else' },
  { id: 'r3', name: 'Salle 3', status: 'cleaning', caseId: null },
];

export const CASE_ID = 'case-1';

export const scheduleBody = (over: Partial<ScheduleCaseBody> = {}): ScheduleCaseBody => ({
  patient: { firstName: 'Jeanne', lastName: 'Dupont', mrn: 'MRN-778899', birthDate: '1961-04-12', sex: 'female' },
  scheduledAt: at(30),
  plannedRoomId: 'r1',
  plannedTargets: [{ nerve: 'intercostal', level: 'T5', side: 'left' }],
  indicationNote: 'Douleur post-fracture de côtes',
  ...over,
});

// The actor who would normally send a command, so scenarios only name one when it matters.
export function defaultActor(type: Command['type']): Actor {
  return [nurse, radiologist, coordinator].find((a) => canSend(a.role, type)) ?? admin;
}

export function context(over: Partial<DecideContext> = {}): DecideContext {
  return { now: at(0), actor: nurse, rooms: freeRooms(), settings: DEFAULT_SETTINGS, ...over };
}

export type Step = Command & { occurredAt?: string; by?: Actor };

// Plays commands through decide() and returns the events, failing loudly if any is refused: the
// given() of a scenario is itself built by the machine, so fixtures cannot drift from the rules.
export function play(steps: Step[], options: { startAt?: number; body?: ScheduleCaseBody; settings?: Settings } = {}): CaseEvent[] {
  const start = options.startAt ?? 0;
  const created = createCase(CASE_ID, options.body ?? scheduleBody(), context({ now: at(start), actor: coordinator }));
  if (!created.ok) throw new Error(`createCase refused: ${created.rejection.rule}`);
  const events = [...created.events];
  let minute = start;
  const body = options.body ?? scheduleBody();
  for (const raw of steps) {
    // The fixture time-out reads the plan of the case it is played on.
    const step = raw === timeOut ? { ...timeOut, targets: body.plannedTargets } : raw;
    const { by, ...command } = step;
    const state = fold(events);
    const occurred = command.occurredAt ?? at(++minute);
    minute = Math.max(minute, minutesOf(occurred));
    const d = decide({ ...command, occurredAt: occurred } as unknown as Command, state, context({
      now: occurred,
      actor: by ?? defaultActor(command.type),
      settings: options.settings ?? DEFAULT_SETTINGS,
    }));
    if (!d.ok) throw new Error(`fixture step ${command.type} refused: ${d.rejection.rule}`);
    events.push(...d.events);
  }
  return events;
}

// Command fixtures, in procedure order.
export const fullChecklist: Step = {
  type: 'record_checklist',
  identityVerified: true,
  consentSigned: true,
  anticoagulants: { taken: false },
  antiInflammatories: { taken: true, managed: true },
  allergies: { has: false },
  weightKg: 70,
  escort: { name: 'Paul Dupont', phone: '+33 6 12 34 56 78' },
  contraindications: { localInfection: 'negative', raynaud: 'negative', cryoglobulinemia: 'negative', coldUrticaria: 'negative' },
};
export const positionProbe: Step = {
  type: 'position_probe',
  target: { nerve: 'intercostal', level: 'T5', side: 'left' },
  guidance: 'ultrasound',
  probe: { type: 'cryoprobe', gauge: 13 },
};
export const timeOut: Step = {
  type: 'confirm_time_out',
  identityConfirmed: true,
  procedureConfirmed: true,
  targets: [{ nerve: 'intercostal', level: 'T5', side: 'left' }],
  siteMarked: true,
  allergiesReviewed: true,
  anticoagulationReviewed: true,
  imagingReviewed: true,
  equipmentChecked: true,
};
export const localAnesthesia: Step = { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 5 };
export const signOut: Step = { type: 'confirm_sign_out', cyclesReviewed: true, complicationsReviewed: true, instructionsHandedOver: true };
export const goodAldrete: Step = { type: 'record_aldrete', activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 1 };
export const startFreeze: Step = { type: 'start_freeze', gas: 'n2o', plannedSeconds: 120 };
export const endFreeze: Step = { type: 'end_freeze', lowestTempC: -80, iceBallMm: 12, thawMode: 'passive' };
export const normalVitals: Step = { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 75, spo2: 98 };
export const goodPadss: Step = { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 1, bleeding: 2 };
export const discharge: Step = { type: 'discharge', escortConfirmed: true, instructionsGiven: true };

export const PATH = {
  scheduled: [] as Step[],
  admitted: [{ type: 'admit' }] as Step[],
  get checklisted(): Step[] { return [...this.admitted, fullChecklist]; },
  get ready(): Step[] { return [...this.checklisted, { type: 'mark_ready' }]; },
  get inRoom(): Step[] { return [...this.ready, { type: 'enter_room', roomId: 'r1' }]; },
  get timedOut(): Step[] { return [...this.inRoom, timeOut]; },
  get anesthetised(): Step[] { return [...this.timedOut, localAnesthesia]; },
  get probePlaced(): Step[] { return [...this.anesthetised, positionProbe]; },
  get freezing(): Step[] { return [...this.probePlaced, startFreeze]; },
  get thawing(): Step[] { return [...this.freezing, endFreeze]; },
  get cycled(): Step[] { return [...this.thawing, { type: 'end_thaw' }]; },
  get probeRemoved(): Step[] { return [...this.cycled, { type: 'remove_probe' }]; },
  get dressed(): Step[] { return [...this.probeRemoved, { type: 'apply_dressing' }]; },
  get signedOut(): Step[] { return [...this.dressed, signOut]; },
  // Observation starts at minute 100 so discharge timing is easy to read in tests.
  get observing(): Step[] { return [...this.signedOut, { type: 'start_observation', occurredAt: at(100) }]; },
  get dischargeable(): Step[] {
    return [...this.observing, { ...normalVitals, occurredAt: at(110) }, { ...goodPadss, occurredAt: at(111) }];
  },
  get discharged(): Step[] { return [...this.dischargeable, { ...discharge, occurredAt: at(116) }]; },
};

type ExpectedEvent = { type: CaseEvent['type']; data?: Record<string, unknown> };

// given(events).when(command).then(events) / .rejects(rule), emmett-style.
export function given(events: CaseEvent[]) {
  const state = fold(events);
  const last = events[events.length - 1]?.occurredAt ?? T0;
  let actor: Actor | undefined;
  let now = new Date(Date.parse(last) + 60_000).toISOString();
  let rooms = freeRooms();
  let settings: Settings = DEFAULT_SETTINGS;
  const scenario = {
    state,
    by(a: Actor) { actor = a; return scenario; },
    at(iso: string) { now = iso; return scenario; },
    withRooms(r: RoomView[]) { rooms = r; return scenario; },
    withSettings(s: Settings) { settings = s; return scenario; },
    when(command: Command & { occurredAt?: string }) {
      const decision: Decision = decide(command, state, { now, actor: actor ?? defaultActor(command.type), rooms, settings });
      return {
        decision,
        then(expected: ExpectedEvent[]): CaseState {
          if (!decision.ok) throw new Error(`expected events, got rejection ${decision.rejection.rule}`);
          expect(decision.events.map((e) => e.type)).toEqual(expected.map((e) => e.type));
          expected.forEach((e, i) => { if (e.data) expect(decision.events[i]?.data).toMatchObject(e.data); });
          return fold([...events, ...decision.events]);
        },
        rejects(rule: RuleName, code?: 'not_allowed_in_stage' | 'rule_violated' | 'forbidden') {
          if (decision.ok) throw new Error(`expected rejection ${rule}, got ${decision.events.map((e) => e.type).join(',')}`);
          expect(decision.rejection.rule).toBe(rule);
          if (code) expect(decision.rejection.code).toBe(code);
          expect(ruleText('fr', decision.rejection.rule, decision.rejection.params).length).toBeGreaterThan(0);
          expect(ruleText('en', decision.rejection.rule, decision.rejection.params).length).toBeGreaterThan(0);
          return decision.rejection;
        },
      };
    },
  };
  return scenario;
}
