import { addDays, dayOf, dayStart, gs1CheckDigit, type Actor, type Command, type CommandBody, type Equipment, type ScheduleCaseBody } from '../../shared';
import type { Store, StoreTransaction } from '../../db/store';
import type { AccountStore } from '../auth/account-store';
import { hashPassword } from '../auth/passwords';
import type { UnitStore } from '../unit/unit-store';
import { executeCaseCommand, executeRoomReady, scheduleCase, type ExecuteContext } from '../cases/execute';
import type { Publication } from '../live/hub';

export type Step = { by: 'nurse' | 'radiologist' | 'coordinator'; at: number; command: Command } | { roomReady: string; by: 'nurse'; at: number };

const CHECKLIST = {
  identityVerified: true,
  consentSigned: true,
  anticoagulants: { taken: false },
  antiInflammatories: { taken: true, managed: true },
  contraindications: { localInfection: 'negative', raynaud: 'negative', cryoglobulinemia: 'negative', coldUrticaria: 'negative' },
} as const;

export const nurse = (at: number, command: Command): Step => ({ by: 'nurse', at, command });
export const radio = (at: number, command: Command): Step => ({ by: 'radiologist', at, command });

export type Allergies = { has: boolean; allergens?: ('chlorhexidine' | 'latex' | 'iodinated_contrast')[]; details?: string };

export const arrive = (at: number, escort: string, weightKg: number, allergies: Allergies = { has: false }): Step[] => [
  nurse(at, { type: 'admit' }),
  nurse(at + 2, { type: 'record_pain_score', score: 7, moment: 'admission' }),
  nurse(at + 5, { type: 'record_checklist', ...CHECKLIST, allergies, weightKg, escort: { name: escort, phone: '06 12 34 56 78' } }),
  nurse(at + 6, { type: 'record_vitals', heartRate: 76, systolic: 132, diastolic: 80, spo2: 98 }),
  nurse(at + 8, { type: 'mark_ready' }),
];

export type Target = { nerve: string; side: 'left' | 'right' | 'bilateral' | 'midline'; level?: string };

// The pause before the puncture, read aloud against the plan.
export const timeOut = (at: number, targets: Target[]): Step =>
  nurse(at, {
    type: 'confirm_time_out',
    identityConfirmed: true,
    procedureConfirmed: true,
    targets,
    siteMarked: true,
    allergiesReviewed: true,
    anticoagulationReviewed: true,
    imagingReviewed: true,
    equipmentChecked: true,
  });

const lidocaine = (at: number, volumeMl: number): Step => radio(at, { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl });

// The demo's single-use items, as their GS1 labels would scan: a made-up company prefix with a true
// check digit, and an expiry a year and a half out so the demo never ages into device_expired.
const gtin = (body: string) => body + String(gs1CheckDigit(body));
export const DEMO_PROBE_GTIN = gtin('0376012345001');
export const DEMO_INTRODUCER_GTIN = gtin('0376012345018');
const gs1Expiry = (): string => {
  const d = new Date(Date.now() + 540 * 86_400_000);
  return `${String(d.getUTCFullYear() % 100).padStart(2, '0')}${String(d.getUTCMonth() + 1).padStart(2, '0')}00`;
};
const probeLabel = (lot: string, serial: string) => ({ udi: `(01)${DEMO_PROBE_GTIN}(17)${gs1Expiry()}(10)${lot}(21)${serial}` });
const introducer = (at: number, lot: string): Step => nurse(at, { type: 'record_device', kind: 'introducer', device: { udi: `(01)${DEMO_INTRODUCER_GTIN}(17)${gs1Expiry()}(10)${lot}` } });

// One probe per target: positioned, its nerve found by stimulation, then its freeze cycles.
export type Pass = { target: Target; cycles: number; lot: string };

export const procedure = (at: number, roomId: string, passes: Pass[], guidance: 'ultrasound' | 'ct' | 'cone_beam_ct' = 'ultrasound'): Step[] => {
  const steps: Step[] = [nurse(at, { type: 'enter_room', roomId }), timeOut(at + 2, passes.map((p) => p.target)), lidocaine(at + 4, 5), introducer(at + 5, 'IN2409A')];
  let t = at + 8;
  passes.forEach(({ target, cycles, lot }, index) => {
    const serial = `SN${-at}${index > 0 ? `-${index + 1}` : ''}`;
    steps.push(radio(t, { type: 'position_probe', target, guidance, probe: { type: 'Cryosonde 1,7 mm', gauge: 14 }, device: probeLabel(lot, serial) }));
    steps.push(radio(t + 1, { type: 'record_stimulation', result: 'sensory' }));
    for (let i = 0; i < cycles; i++) {
      const start = t + 2 + i * 7;
      steps.push(radio(start, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 }));
      steps.push(radio(start + 3, { type: 'end_freeze', lowestTempC: -78 - i * 4, iceBallMm: 9, thawMode: 'passive' }));
      steps.push(radio(start + 5, { type: 'end_thaw' }));
    }
    t += 2 + cycles * 7;
  });
  return steps;
};

export const finish = (at: number): Step[] => [
  radio(at, { type: 'remove_probe' }),
  nurse(at + 2, { type: 'apply_dressing' }),
  radio(at + 3, { type: 'confirm_sign_out', cyclesReviewed: true, complicationsReviewed: true, instructionsHandedOver: true }),
  nurse(at + 4, { type: 'start_observation' }),
];

/** The rooms' imaging machines, as an admin lists them in /admin. */
export const DEMO_EQUIPMENT: Equipment[] = [
  { name: 'Siemens Somatom go.Up (salle 1)', modality: 'ct', roomId: 'room-1' },
  { name: 'GE Revolution EVO (salle 2)', modality: 'ct', roomId: 'room-2' },
  { name: 'Philips Azurion cone beam (salle 3)', modality: 'cone_beam_ct', roomId: 'room-3' },
];

const BENALI_T6: Target = { nerve: 'intercostal', level: 'T6', side: 'left' };
const BENALI_T7: Target = { nerve: 'intercostal', level: 'T7', side: 'left' };

export const person = (firstName: string, lastName: string, mrn: string, birthDate: string, sex: 'female' | 'male') => ({ firstName, lastName, mrn, birthDate, sex });

/** A realistic morning: minutes are relative to now (negative = already happened). */
function demoCases(): { body: Omit<ScheduleCaseBody, 'scheduledAt'> & { at: number }; steps: Step[] }[] {
  return [
    {
      body: { at: -240, patient: person('Hélène', 'Durand', 'MRN-100231', '1958-03-14', 'female'), plannedRoomId: 'room-1', plannedTargets: [{ nerve: 'genicular', side: 'right' }], indicationNote: 'Gonarthrose droite' },
      steps: [
        ...arrive(-250, 'Marc Durand', 68),
        ...procedure(-225, 'room-1', [{ target: { nerve: 'genicular', side: 'right' }, cycles: 2, lot: 'CP24117' }]),
        // Light sedation during the freezes: vitals every few minutes, then an Aldrete score
        // before the PADSS, and the longer observation of a sedated patient.
        radio(-222, { type: 'give_sedation', drug: 'Midazolam', dose: '1 mg' }),
        nurse(-218, { type: 'record_vitals', heartRate: 68, systolic: 122, diastolic: 74, spo2: 97 }),
        nurse(-213, { type: 'record_vitals', heartRate: 66, systolic: 118, diastolic: 72, spo2: 97 }),
        nurse(-208, { type: 'record_vitals', heartRate: 67, systolic: 120, diastolic: 74, spo2: 98 }),
        nurse(-203, { type: 'record_vitals', heartRate: 69, systolic: 124, diastolic: 75, spo2: 98 }),
        ...finish(-200),
        nurse(-190, { type: 'record_vitals', heartRate: 70, systolic: 128, diastolic: 76, spo2: 98 }),
        nurse(-185, { type: 'record_aldrete', activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2 }),
        nurse(-168, { type: 'record_vitals', heartRate: 71, systolic: 126, diastolic: 77, spo2: 98 }),
        nurse(-166, { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 }),
        nurse(-163, { type: 'record_pain_score', score: 2, moment: 'discharge' }),
        nurse(-160, { type: 'discharge', escortConfirmed: true, instructionsGiven: true }),
        // Room 1 cleaned twelve minutes after the patient left it for observation (-196).
        { roomReady: 'room-1', by: 'nurse', at: -184 },
      ],
    },
    {
      body: {
        at: -150,
        patient: person('Karim', 'Benali', 'MRN-100245', '1971-11-02', 'male'),
        plannedRoomId: 'room-2',
        plannedTargets: [BENALI_T6, BENALI_T7],
        indicationNote: 'Douleur post-fracture de côtes',
      },
      steps: [
        ...arrive(-160, 'Samia Benali', 82, { has: true, allergens: ['chlorhexidine'], details: 'Eczéma de contact, antisepsie à la povidone iodée' }),
        // Two ribs, two levels: a fresh probe from another lot for the second one.
        ...procedure(
          -150,
          'room-2',
          [
            { target: BENALI_T6, cycles: 2, lot: 'CP24203' },
            { target: BENALI_T7, cycles: 2, lot: 'CP24211' },
          ],
          'ct',
        ),
        ...finish(-110),
        // CT-guided: the console's dose is read as the probe comes out, before the sign-out.
        radio(-109, { type: 'record_dose', modality: 'ct', equipment: DEMO_EQUIPMENT[1]!.name, dlpMgyCm: 286, ctdiVolMgy: 8.4 }),
        radio(-105, { type: 'record_report_conclusion', conclusion: 'Cryoneurolyse intercostale T6 et T7 gauches sous scanner, deux cycles par niveau, sans complication immédiate.' }),
        radio(-104, { type: 'sign_report', lang: 'fr' }),
        nurse(-100, { type: 'record_vitals', heartRate: 74, systolic: 124, diastolic: 78, spo2: 97 }),
      ],
    },
    {
      body: { at: -60, patient: person('Isabelle', 'Moreau', 'MRN-100262', '1966-07-21', 'female'), plannedRoomId: 'room-1', plannedTargets: [{ nerve: 'pudendal', side: 'bilateral' }], plannedSedation: true, indicationNote: 'Névralgie pudendale' },
      steps: [
        ...arrive(-75, 'Paul Moreau', 61),
        nurse(-20, { type: 'enter_room', roomId: 'room-1' }),
        radio(-18, { type: 'give_sedation', drug: 'Midazolam', dose: '1 mg' }),
        timeOut(-17, [{ nerve: 'pudendal', side: 'bilateral' }]),
        lidocaine(-15, 8),
        nurse(-13, { type: 'record_vitals', heartRate: 72, systolic: 126, diastolic: 78, spo2: 97 }),
        nurse(-8, { type: 'record_vitals', heartRate: 70, systolic: 122, diastolic: 76, spo2: 97 }),
        nurse(-3, { type: 'record_vitals', heartRate: 71, systolic: 124, diastolic: 77, spo2: 98 }),
        radio(-9, { type: 'position_probe', target: { nerve: 'pudendal', side: 'left' }, guidance: 'ct', probe: { type: 'Cryosonde 1,7 mm', gauge: 14 }, device: probeLabel('CP24117', 'SN9') }),
        radio(-8, { type: 'record_stimulation', result: 'none' }),
        radio(-2, { type: 'start_freeze', gas: 'n2o', plannedSeconds: 240 }),
      ],
    },
    {
      body: { at: -45, patient: person('Jean', 'Lefèvre', 'MRN-100277', '1949-01-30', 'male'), plannedRoomId: 'room-3', plannedTargets: [{ nerve: 'greater_occipital', side: 'right' }], indicationNote: 'Névralgie d’Arnold' },
      steps: [...arrive(-55, 'Claire Lefèvre', 74), nurse(-12, { type: 'enter_room', roomId: 'room-3' }), timeOut(-10, [{ nerve: 'greater_occipital', side: 'right' }]), lidocaine(-8, 3), radio(-3, { type: 'position_probe', target: { nerve: 'greater_occipital', side: 'right' }, guidance: 'ultrasound', probe: { type: 'Cryosonde 1,3 mm', gauge: 16 } })],
    },
    {
      body: { at: -30, patient: person('Nathalie', 'Petit', 'MRN-100289', '1980-05-09', 'female'), plannedRoomId: 'room-2', plannedTargets: [{ nerve: 'cluneal', side: 'bilateral' }], indicationNote: 'Lombalgie, douleur fessière' },
      steps: arrive(-62, 'Hugo Petit', 58),
    },
    {
      body: { at: 0, patient: person('Louis', 'Garnier', 'MRN-100301', '1955-09-17', 'male'), plannedRoomId: 'room-3', plannedTargets: [{ nerve: 'suprascapular', side: 'left' }], indicationNote: 'Douleur d’épaule' },
      steps: [nurse(-10, { type: 'admit' }), nurse(-6, { type: 'record_vitals', heartRate: 128, systolic: 158, diastolic: 92, spo2: 96 }), nurse(-4, { type: 'record_checklist', identityVerified: true, consentSigned: true })],
    },
    {
      body: { at: 30, patient: person('Camille', 'Roux', 'MRN-100315', '1990-12-03', 'female'), plannedRoomId: 'room-1', plannedTargets: [{ nerve: 'post_surgical_neuroma', side: 'left' }], indicationNote: 'Névrome cicatriciel après mastectomie' },
      steps: [],
    },
    {
      body: { at: 60, patient: person('Bernard', 'Fontaine', 'MRN-100322', '1962-04-25', 'male'), plannedRoomId: 'room-2', plannedTargets: [{ nerve: 'cervical_facet', level: 'C5-C6', side: 'right' }] },
      steps: [],
    },
    {
      body: { at: 90, patient: person('Sophie', 'Mercier', 'MRN-100338', '1975-08-11', 'female'), plannedRoomId: 'room-3', plannedTargets: [{ nerve: 'great_auricular', side: 'left' }] },
      steps: [],
    },
    {
      body: { at: -90, patient: person('Michel', 'Blanc', 'MRN-100344', '1952-02-19', 'male'), plannedRoomId: 'room-2', plannedTargets: [{ nerve: 'trigeminal', side: 'right' }] },
      steps: [nurse(-95, { type: 'admit' }), nurse(-92, { type: 'cancel', reason: 'no_escort', note: 'Personne pour le raccompagner ce soir' })],
    },
  ];
}

export const DEMO_PASSWORD = 'demo';
/** The accounts CRYODAY_DEMO=1 creates; a start without the flag disables any still using DEMO_PASSWORD. */
export const DEMO_USERNAMES = ['nurse', 'radiologist', 'coordinator', 'admin'] as const;

const MINUTE = 60_000;

/**
 * When the demo's minutes count from, and when each of its cases is booked, so that the whole demo is
 * on the unit's today whatever the hour it is loaded at (the wall screen and the day's list show one day).
 * - Late in the evening the clock runs earlier than now, so the last case (booked `latest` minutes on)
 *   is still before midnight: its patients are then late rather than on tomorrow's list.
 * - Early in the morning the cases booked before midnight are booked just past it instead,
 *   in their order (their steps keep their hours: an admission the evening before breaks no rule).
 * Never later than now: a step is never dated in the future.
 */
export function demoClock(now: number, timeZone: string, latest: number) {
  const today = dayOf(now, timeZone);
  const start = dayStart(today, timeZone);
  const anchor = Math.min(now, dayStart(addDays(today, 1), timeZone) - (latest + 5) * MINUTE);
  return {
    anchor,
    /** The instant of minute `at`. */
    at: (minutes: number) => new Date(anchor + minutes * MINUTE),
    /** When a case of minute `at` is booked for: that minute, or a moment past midnight (milliseconds, in the order of `at`). */
    scheduledAt: (minutes: number) => new Date(Math.max(anchor + minutes * MINUTE, start + minutes + 24 * 60)),
  };
}

/** Where the demo day is written: the app's stores, on whichever database runs. */
export interface DemoStores {
  store: Store;
  accounts: AccountStore;
  unit: UnitStore;
}

/** Demo accounts and a morning in progress, driven through the same commands as the screens. */
export async function loadDemoDay(stores: DemoStores, base: Omit<ExecuteContext, 'actor' | 'now' | 'tx'>): Promise<Publication[]> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const create = stores.accounts.createStaff.bind(stores.accounts);
  const accounts = {
    nurse: await create({ username: 'nurse', displayName: 'Inès Martin (IDE)', role: 'nurse', passwordHash }),
    radiologist: await create({ username: 'radiologist', displayName: 'Dr Laurent Roche', role: 'radiologist', passwordHash }),
    coordinator: await create({ username: 'coordinator', displayName: 'Julie Caron', role: 'coordinator', passwordHash }),
    admin: await create({ username: 'admin', displayName: 'Administrateur', role: 'admin', passwordHash }),
  };
  const actor = (role: keyof typeof accounts): Actor => ({ id: accounts[role].id, name: accounts[role].displayName, role });
  const clock = demoClock(Date.now(), base.settings.timeZone, Math.max(...demoCases().map((c) => c.body.at)));
  await stores.unit.saveEquipment(DEMO_EQUIPMENT, { id: accounts.admin.id, username: 'admin' }, clock.at(-600));
  // The whole morning in one transaction: the demo starts with all of it or none of it.
  return stores.store.transaction((tx) => playDemoDay(tx, base, actor, clock));
}

async function playDemoDay(
  tx: StoreTransaction,
  base: Omit<ExecuteContext, 'actor' | 'now' | 'tx'>,
  actor: (role: 'nurse' | 'radiologist' | 'coordinator' | 'admin') => Actor,
  clock: ReturnType<typeof demoClock>,
): Promise<Publication[]> {
  const minutes = clock.at;
  const now = clock.anchor;
  const publications: Publication[] = [];
  // Steps run in time order across cases so rooms are free when the day says they were.
  const all: { caseIndex: number; step: Step; at: number }[] = [];
  const caseIds: string[] = [];
  const versions: number[] = [];
  for (const { body } of demoCases()) {
    const { at, ...rest } = body;
    const result = await scheduleCase(
      { ...base, tx, actor: actor('coordinator'), now: minutes(Math.min(at, 0) - 300) },
      { ...rest, scheduledAt: clock.scheduledAt(at).toISOString() },
    );
    const created = result.body as { case: { id: string; version: number } };
    caseIds.push(created.case.id);
    versions.push(created.case.version);
    publications.push(...result.publications);
  }
  demoCases().forEach(({ steps }, caseIndex) => {
    let last = -Infinity;
    for (const step of steps) {
      last = 'at' in step ? step.at : last;
      all.push({ caseIndex, step, at: last });
    }
  });
  all.sort((a, b) => a.at - b.at);
  for (const { caseIndex, step, at } of all) {
    if ('roomReady' in step) {
      // room_ready takes no back-dating (a nurse sends it as she finishes cleaning): the demo plays it at its hour.
      publications.push(...(await executeRoomReady({ ...base, tx, actor: actor('nurse'), now: minutes(at) }, step.roomReady)).publications);
      continue;
    }
    const result = await executeCaseCommand({ ...base, tx, actor: actor(step.by), now: new Date(now) }, caseIds[caseIndex]!, {
      ...step.command,
      expectedVersion: versions[caseIndex]!,
      occurredAt: minutes(at).toISOString(),
    } as CommandBody);
    versions[caseIndex] = (result.body as { case: { version: number } }).case.version;
    publications.push(...result.publications);
  }
  return publications;
}
