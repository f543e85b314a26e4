import { addDays, type CancelReason, type ComplicationKind, type ScheduleCaseBody } from '../../shared';
import { addMonths } from '../reports/dates';
import { DEMO_EQUIPMENT, arrive, finish, nurse, person, procedure, radio, type Step, type Target } from './demo-day';

/**
 * A unit's history, day after day, built from the demo day's steps: weekdays only, each room taking
 * its patients one after the other, with the share of cancellations, transfers, sedations, CT-guided
 * acts and complications a cryoneurolysis unit sees, and the follow-up calls after each discharge.
 * Pure and seeded: the same seed gives the same history, so a test can check its figures.
 */

/** Bumped whenever the generator changes what a seed produces: a cached seeded file is keyed by it. */
export const HISTORY_VERSION = 1;

/** One thing that happens on a day: a case booked, or one of its steps, at a minute after local midnight. */
export type HistoryAct =
  | { kind: 'schedule'; caseKey: string; minute: number; body: Omit<ScheduleCaseBody, 'scheduledAt'>; scheduledMinute: number }
  | { kind: 'step'; caseKey: string; minute: number; step: Step };

export type Outcome = 'discharged' | 'cancelled' | 'transferred';

export interface PlannedCase {
  caseKey: string;
  day: string;
  outcome: Outcome;
  sedated: boolean;
  complication: boolean;
  ct: boolean;
}

export interface PlannedDay {
  day: string;
  cases: PlannedCase[];
  /** Acts by day: this day's, and the follow-up calls that fall on later days. */
  acts: Map<string, HistoryAct[]>;
}

/** mulberry32: small, fast, and the same sequence on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
const between = (random: () => number, low: number, high: number) => low + Math.floor(random() * (high - low + 1));

// The indications of the demo day, each with the way the unit guides it.
const INDICATIONS: { targets: Target[]; note: string; ct: boolean }[] = [
  { targets: [{ nerve: 'genicular', side: 'right' }], note: 'Gonarthrose droite', ct: false },
  { targets: [{ nerve: 'genicular', side: 'left' }], note: 'Gonarthrose gauche', ct: false },
  { targets: [{ nerve: 'intercostal', level: 'T6', side: 'left' }, { nerve: 'intercostal', level: 'T7', side: 'left' }], note: 'Douleur post-fracture de côtes', ct: true },
  { targets: [{ nerve: 'pudendal', side: 'bilateral' }], note: 'Névralgie pudendale', ct: true },
  { targets: [{ nerve: 'greater_occipital', side: 'right' }], note: 'Névralgie d’Arnold', ct: false },
  { targets: [{ nerve: 'cluneal', side: 'bilateral' }], note: 'Lombalgie, douleur fessière', ct: false },
  { targets: [{ nerve: 'suprascapular', side: 'left' }], note: 'Douleur d’épaule', ct: false },
  { targets: [{ nerve: 'post_surgical_neuroma', side: 'left' }], note: 'Névrome cicatriciel après mastectomie', ct: false },
];
const FIRST_NAMES = ['Hélène', 'Karim', 'Isabelle', 'Jean', 'Nathalie', 'Louis', 'Camille', 'Bernard', 'Sophie', 'Michel', 'Aïcha', 'Pierre', 'Léa', 'Yves', 'Chantal', 'Omar'];
const LAST_NAMES = ['Durand', 'Benali', 'Moreau', 'Lefèvre', 'Petit', 'Garnier', 'Roux', 'Fontaine', 'Mercier', 'Blanc', 'Nguyen', 'Faure', 'Girard', 'Bonnet', 'Lambert', 'Haddad'];
const CANCEL_AFTER_ADMISSION: CancelReason[] = ['not_fasting', 'no_escort', 'contraindication', 'anticoagulant_not_stopped', 'equipment'];
const COMPLICATIONS: ComplicationKind[] = ['hematoma', 'vasovagal', 'persistent_pain', 'skin_cold_injury', 'motor_weakness'];
// The CT scanners of the demo's rooms: a CT-guided act goes to one of those rooms.
const CT_MACHINES = new Map(DEMO_EQUIPMENT.filter((m) => m.modality === 'ct').map((m) => [m.roomId!, m.name]));

export const isWeekday = (day: string) => ![0, 6].includes(new Date(`${day}T12:00:00Z`).getUTCDay());

/** The day's cases, `perDay` on average, shared by the rooms from 07:30. */
export function planDay(day: string, index: number, options: { perDay: number; roomIds: readonly string[]; lastDay: string; random: () => number }): PlannedDay {
  const { random, roomIds } = options;
  const acts = new Map<string, HistoryAct[]>();
  const add = (onDay: string, act: HistoryAct) => {
    if (onDay > options.lastDay) return;
    let list = acts.get(onDay);
    if (!list) acts.set(onDay, (list = []));
    list.push(act);
  };
  const cases: PlannedCase[] = [];
  const count = Math.max(1, Math.round(options.perDay * (0.8 + 0.4 * random())));
  const cursor = new Map(roomIds.map((id) => [id, 450]));
  for (let k = 0; k < count; k++) {
    const caseKey = `${day}#${k}`;
    let indication = pick(random, INDICATIONS);
    // Each room in its turn; a CT-guided act waits for a room with a scanner.
    let roomId = roomIds[k % roomIds.length]!;
    if (indication.ct && !CT_MACHINES.has(roomId)) {
      if (roomIds.some((id) => CT_MACHINES.has(id))) roomId = [...roomIds].filter((id) => CT_MACHINES.has(id)).sort((a, b) => cursor.get(a)! - cursor.get(b)!)[0]!;
      else indication = INDICATIONS[0]!;
    }
    const slot = cursor.get(roomId)!;
    const enter = slot + between(random, 0, 20);
    const admitAt = enter - between(random, 25, 50);
    const sedated = indication.targets.length === 1 && random() < 0.15;
    const roll = random();
    const outcome: Outcome = roll < 0.06 ? 'cancelled' : roll < 0.075 ? 'transferred' : 'discharged';
    const complication = outcome === 'discharged' && random() < 0.04;
    const sex = random() < 0.55 ? 'female' : 'male';
    const birthYear = between(random, 1940, 1995);
    const body: Omit<ScheduleCaseBody, 'scheduledAt'> = {
      patient: person(pick(random, FIRST_NAMES), pick(random, LAST_NAMES), `H-${day.replaceAll('-', '')}-${String(k).padStart(3, '0')}`, `${birthYear}-0${between(random, 1, 9)}-1${between(random, 0, 9)}`, sex),
      plannedRoomId: roomId,
      plannedTargets: indication.targets,
      indicationNote: indication.note,
      ...(sedated ? { plannedSedation: true } : {}),
    };
    add(day, { kind: 'schedule', caseKey, minute: 360, body, scheduledMinute: slot });
    cases.push({ caseKey, day, outcome, sedated, complication, ct: indication.ct });
    const steps: Step[] = [];
    const painBefore = between(random, 5, 9);
    if (outcome === 'cancelled') {
      if (random() < 0.3) steps.push({ by: 'coordinator', at: slot, command: { type: 'cancel', reason: 'no_show' } });
      else steps.push(nurse(admitAt, { type: 'admit' }), nurse(admitAt + 4, { type: 'cancel', reason: pick(random, CANCEL_AFTER_ADMISSION) }));
      cursor.set(roomId, slot + 10);
    } else {
      steps.push(...arrive(admitAt, 'Accompagnant', between(random, 50, 95)));
      steps[1] = nurse(admitAt + 2, { type: 'record_pain_score', score: painBefore, moment: 'admission' });
      const passes = indication.targets.map((target, i) => ({ target, cycles: random() < 0.8 ? 2 : 3, lot: `CP${day.slice(2, 4)}${String(index % 1000).padStart(3, '0')}${i}` }));
      steps.push(...procedure(enter, roomId, passes, indication.ct ? 'ct' : 'ultrasound'));
      const procEnd = enter + 8 + passes.reduce((sum, p) => sum + 2 + p.cycles * 7, 0);
      const out = procEnd + 1;
      if (sedated) {
        steps.push(radio(enter + 3, { type: 'give_sedation', drug: 'Midazolam', dose: '1 mg' }));
        for (let at = enter + 7; at < out; at += 5) steps.push(nurse(at, { type: 'record_vitals', heartRate: between(random, 60, 85), systolic: between(random, 110, 140), diastolic: between(random, 65, 85), spo2: between(random, 95, 99) }));
      }
      if (outcome === 'transferred') {
        steps.push(radio(out, { type: 'remove_probe' }), radio(out + 3, { type: 'transfer', destination: 'Urgences' }), { roomReady: roomId, by: 'nurse', at: out + 15 });
        cursor.set(roomId, out + 17);
      } else {
        const observation = out + 4;
        const finishing = finish(out);
        steps.push(...finishing.slice(0, 2));
        if (indication.ct) steps.push(radio(out + 2, { type: 'record_dose', modality: 'ct', equipment: CT_MACHINES.get(roomId)!, dlpMgyCm: between(random, 150, 450), ctdiVolMgy: between(random, 40, 120) / 10 }));
        steps.push(...finishing.slice(2));
        const ready = observation + (sedated ? 31 : 16);
        // The vitals the discharge reads: taken in observation, less than a quarter of an hour before.
        steps.push(nurse(ready - 3, { type: 'record_vitals', heartRate: between(random, 60, 85), systolic: between(random, 110, 140), diastolic: between(random, 65, 85), spo2: between(random, 95, 99) }));
        if (sedated) {
          steps.push(nurse(observation + 6, { type: 'record_vitals', heartRate: 70, systolic: 126, diastolic: 76, spo2: 98 }));
          steps.push(nurse(observation + 11, { type: 'record_aldrete', activity: 2, respiration: 2, circulation: 2, consciousness: 2, oxygenSaturation: 2 }));
        }
        if (complication) steps.push(radio(observation + 5, { type: 'record_complication', kind: pick(random, COMPLICATIONS), grade: random() < 0.8 ? 1 : 2 }));
        steps.push(
          nurse(ready, { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 }),
          nurse(ready + 1, { type: 'record_pain_score', score: Math.max(0, painBefore - between(random, 2, 5)), moment: 'discharge' }),
          nurse(ready + 2, { type: 'discharge', escortConfirmed: true, instructionsGiven: true }),
          radio(out + 6, { type: 'record_report_conclusion', conclusion: `Cryoneurolyse : ${indication.note.toLowerCase()}, sans incident immédiat.` }),
          radio(out + 7, { type: 'sign_report', lang: 'fr' }),
        );
        const roomReady = observation + between(random, 6, 16);
        steps.push({ roomReady: roomId, by: 'nurse', at: roomReady });
        cursor.set(roomId, roomReady + 2);
        // The follow-up calls, on their own days, mid-morning.
        const relief = between(random, 1, 6);
        const call = (onDay: string, moment: 'followup_d1' | 'followup_m1' | 'followup_m3', score: number) =>
          add(onDay, { kind: 'step', caseKey, minute: 600 + k, step: nurse(600 + k, { type: 'record_pain_score', score: Math.min(10, Math.max(0, score)), moment }) });
        call(addDays(day, 1), 'followup_d1', painBefore - relief + between(random, -1, 1));
        call(addMonths(day, 1), 'followup_m1', painBefore - relief + between(random, -1, 2));
        call(addMonths(day, 3), 'followup_m3', painBefore - relief + between(random, 0, 3));
      }
    }
    for (const step of steps) add(day, { kind: 'step', caseKey, minute: step.at, step });
  }
  return { day, cases, acts };
}
