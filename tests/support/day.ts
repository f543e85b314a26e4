import { DEFAULT_SETTINGS, addDays, dayOf, dayStart, wallTimeToIso } from '../../shared';
import { COMPLETE_CHECKLIST, type Api } from './api';

/** Every item of the time-out ticked; the targets are the case's own. */
export const TIME_OUT = {
  identityConfirmed: true,
  procedureConfirmed: true,
  siteMarked: true,
  allergiesReviewed: true,
  anticoagulationReviewed: true,
  imagingReviewed: true,
  equipmentChecked: true,
} as const;

/** The time-out command for a case planned on these targets. */
export const timeOutOf = (targets: readonly { nerve: string; level?: string; side: string }[]) => ({ type: 'confirm_time_out', ...TIME_OUT, targets });

/** 5 mL of lidocaine 1 % (50 mg): far under any maximum. */
export const LIDOCAINE = { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 5 } as const;

export const SIGN_OUT = { cyclesReviewed: true, complicationsReviewed: true, instructionsHandedOver: true } as const;
export const SIGN_OUT_COMMAND = { type: 'confirm_sign_out', ...SIGN_OUT } as const;

/**
 * A whole uncomplicated day for one case, as [who, command] steps, with back-dated times so the
 * observation minimum is met without waiting: `at(m)` is m minutes before now.
 */
export function wholeDay(roomId: string, at: (minutesAgo: number) => string) {
  const target = { nerve: 'genicular', side: 'right' } as const;
  return [
    ['nurse', { type: 'admit', occurredAt: at(120) }],
    ['nurse', { type: 'record_checklist', ...COMPLETE_CHECKLIST, occurredAt: at(115) }],
    ['nurse', { type: 'mark_ready', occurredAt: at(110) }],
    ['nurse', { type: 'enter_room', roomId, occurredAt: at(100) }],
    ['nurse', { type: 'confirm_time_out', ...TIME_OUT, targets: [target], occurredAt: at(97) }],
    ['radiologist', { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 5, occurredAt: at(95) }],
    ['radiologist', { type: 'position_probe', target, guidance: 'ultrasound', probe: { type: 'Cryosonde', gauge: 14 }, occurredAt: at(90) }],
    ['radiologist', { type: 'record_stimulation', result: 'sensory', occurredAt: at(89) }],
    ['radiologist', { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180, occurredAt: at(88) }],
    ['radiologist', { type: 'end_freeze', lowestTempC: -82, iceBallMm: 9, thawMode: 'passive', occurredAt: at(85) }],
    ['radiologist', { type: 'end_thaw', occurredAt: at(83) }],
    ['radiologist', { type: 'remove_probe', occurredAt: at(80) }],
    ['nurse', { type: 'apply_dressing', occurredAt: at(78) }],
    ['nurse', { type: 'confirm_sign_out', ...SIGN_OUT, occurredAt: at(77) }],
    ['nurse', { type: 'start_observation', occurredAt: at(60) }],
    ['nurse', { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98, occurredAt: at(5) }],
    ['nurse', { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2, occurredAt: at(4) }],
    ['nurse', { type: 'discharge', escortConfirmed: true, instructionsGiven: true, occurredAt: at(1) }],
  ] as const satisfies readonly (readonly ['nurse' | 'radiologist', Record<string, unknown>])[];
}

export const minutesAgo = (base: number) => (m: number) => new Date(base - m * 60_000).toISOString();

export async function driveWholeDay(users: { nurse: Api; radiologist: Api }, caseId: string, roomId = 'room-1') {
  for (const [who, command] of wholeDay(roomId, minutesAgo(Date.now()))) {
    await users[who].command(caseId, command);
  }
}

/**
 * Sends [who, command] steps one minute apart, the last `endsMinutesAgo` minutes ago, so a freeze
 * lasts long enough to count as one. The case must be booked at least `steps.length + endsMinutesAgo`
 * minutes ago (bookCaseInThePast, scheduleInThePast): no step may precede the booking.
 */
export async function sendSpaced<U extends string>(users: Record<U, Api>, caseId: string, steps: readonly (readonly [U, Record<string, unknown>])[], endsMinutesAgo = 0) {
  const at = minutesAgo(Date.now());
  for (const [i, [who, command]] of steps.entries()) await users[who].command(caseId, { occurredAt: at(endsMinutesAgo + steps.length - 1 - i), ...command });
}

/**
 * `minutes`, or fewer when that many minutes ago was yesterday in the unit: a case booked back then is on
 * today's list with events recorded yesterday, and a screen resuming from one of them is (rightly) sent
 * the new day's snapshot rather than a replay. For tests that resume, whatever the hour they run at.
 */
export function withinToday(minutes: number, timeZone = DEFAULT_SETTINGS.timeZone, now = Date.now()): number {
  return Math.min(minutes, Math.floor((now - dayStart(dayOf(now, timeZone), timeZone)) / 60_000));
}

/**
 * Noon in the unit today, or yesterday's before noon: the clock of a test that plays a day's commands
 * itself (back-dated up to a few hours), so the day and its room releases fall on one unit day whatever
 * the hour it runs at, and no step is in the future.
 */
export function lastNoon(timeZone = DEFAULT_SETTINGS.timeZone, now = Date.now()): number {
  const today = dayOf(now, timeZone);
  const noon = (day: string) => Date.parse(wallTimeToIso(day, '12:00', timeZone));
  return noon(today) <= now ? noon(today) : noon(addDays(today, -1));
}

/**
 * `instant`, or just past the unit's last midnight when it is earlier: when a case booked minutes ago is
 * scheduled for, so that it is on today's list even in the first hour after midnight (its steps may
 * still be dated the evening before: no rule forbids arriving early).
 */
export function onToday(instant: number, timeZone = DEFAULT_SETTINGS.timeZone, now = Date.now()): number {
  return Math.max(instant, dayStart(dayOf(now, timeZone), timeZone) + 1000);
}
