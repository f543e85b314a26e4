import { hasEscort } from './checklist';
import type { RoomView } from './context';
import { requiredObservationMinutes, type Settings } from './settings';
import { SEDATION_WATCH_STAGES, isTerminal, type Stage } from './stages';
import { currentCycle, stageSince, type CaseState } from './state';
import { addSeconds, ms } from './time';
import { MIN_PADSS, VITAL_RANGES, vitalsInRange } from './vitals';

export const ALERT_CODES = [
  'vitals_abnormal',
  'freeze_overrun',
  'sedated_without_escort',
  'observation_overdue',
  'waiting_ready_too_long',
  'room_cleaning_too_long',
  'sedation_monitoring_overdue',
] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

// How loud an alert is on the wall, most urgent first: a patient at risk now (critical), something to
// act on soon (warning), the day running slow (info). Each code is mapped once; the board takes colour
// and size from the severity, so a freeze 45 min over never looks like a long wait.
export const ALERT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

export const ALERT_SEVERITY: Record<AlertCode, AlertSeverity> = {
  vitals_abnormal: 'critical',
  freeze_overrun: 'critical',
  sedated_without_escort: 'warning',
  observation_overdue: 'warning',
  waiting_ready_too_long: 'info',
  room_cleaning_too_long: 'info',
  sedation_monitoring_overdue: 'warning',
};

/** The loudest severity among the alerts, null when there is none. */
export function worstSeverity(alerts: readonly Alert[]): AlertSeverity | null {
  const rank = (a: Alert) => ALERT_SEVERITIES.indexOf(ALERT_SEVERITY[a.code]);
  const worst = Math.min(...alerts.map(rank));
  return Number.isFinite(worst) ? ALERT_SEVERITIES[worst]! : null;
}

/** Alerts loudest first, so the one that matters is read first at 4 m. */
export const bySeverity = (alerts: readonly Alert[]): Alert[] =>
  [...alerts].sort((a, b) => ALERT_SEVERITIES.indexOf(ALERT_SEVERITY[a.code]) - ALERT_SEVERITIES.indexOf(ALERT_SEVERITY[b.code]));

export interface Alert {
  code: AlertCode;
  since?: string;
}

// The numbers behind the alerts, as one data object the board legend and the reports can print.
export const ALERT_THRESHOLDS = { vitals: VITAL_RANGES, minPadss: MIN_PADSS } as const;

// What the clock-driven alerts need, all of it pseudonymous: a BoardCase carries exactly this, so a
// wall screen can keep its alerts running between events. In observation, stageSince is the moment
// observation started (the stage is entered by ObservationStarted and left by nothing but its exit).
export interface ClockFacts {
  stage: Stage;
  stageSince: string;
  sedated: boolean;
  // The running freeze, present only while freezing.
  freeze?: { startedAt: string; plannedSeconds: number };
  // Since when a sedated patient in the room or in observation has gone without vitals (the later
  // of the first sedation and the latest vitals); present only while that watch runs.
  monitoredSince?: string;
}

export function clockAlerts(c: ClockFacts, now: string, settings: Settings): Alert[] {
  if (isTerminal(c.stage)) return [];
  const alerts: Alert[] = [];
  const past = (due: string, code: AlertCode) => {
    if (ms(now) > ms(due)) alerts.push({ code, since: due });
  };
  if (c.stage === 'freezing' && c.freeze) past(addSeconds(c.freeze.startedAt, c.freeze.plannedSeconds), 'freeze_overrun');
  if (c.stage === 'observation') {
    const minutes = requiredObservationMinutes(c.sedated, settings) + settings.observationOverdueMinutes;
    past(addSeconds(c.stageSince, minutes * 60), 'observation_overdue');
  }
  if (c.stage === 'ready') past(addSeconds(c.stageSince, settings.readyWaitAlertMinutes * 60), 'waiting_ready_too_long');
  if (c.monitoredSince) past(addSeconds(c.monitoredSince, settings.sedationVitalsMinutes * 60), 'sedation_monitoring_overdue');
  return alerts;
}

// The sedation watch: a sedated patient in the room or in observation is monitored continuously.
function monitoredSince(state: CaseState): string | undefined {
  const watched = SEDATION_WATCH_STAGES.includes(state.stage);
  const sedatedAt = state.sedations[0]?.at;
  if (!state.sedated || !watched || !sedatedAt) return undefined;
  const lastVitals = state.vitals[state.vitals.length - 1]?.at;
  return lastVitals && ms(lastVitals) > ms(sedatedAt) ? lastVitals : sedatedAt;
}

// The facts clockAlerts reads, taken from a case (toBoardCase builds the same ones for the wall).
export function clockFacts(state: CaseState): ClockFacts {
  const cycle = state.stage === 'freezing' ? currentCycle(state) : undefined;
  const facts: ClockFacts = { stage: state.stage, stageSince: stageSince(state), sedated: state.sedated };
  if (cycle) facts.freeze = { startedAt: cycle.freezeStartedAt, plannedSeconds: cycle.plannedSeconds };
  const watch = monitoredSince(state);
  if (watch) facts.monitoredSince = watch;
  return facts;
}

// Computed, never stored: the server and every board derive the same alerts from the same state
// and the clock they are given.
export function alertsFor(state: CaseState, now: string, settings: Settings): Alert[] {
  if (isTerminal(state.stage)) return [];
  const alerts: Alert[] = [];
  const latest = state.vitals[state.vitals.length - 1];
  if (latest && !vitalsInRange(latest)) alerts.push({ code: 'vitals_abnormal', since: latest.at });
  if (state.sedated && !hasEscort(state.checklist)) alerts.push({ code: 'sedated_without_escort' });
  return [...alerts, ...clockAlerts(clockFacts(state), now, settings)];
}

// A room still being cleaned after the unit's limit holds the next patient back: the board and the
// rooms strip flag it from the room's own status time, so it appears with no event.
export function roomAlerts(room: Pick<RoomView, 'status' | 'since'>, now: string, settings: Settings): Alert[] {
  if (room.status !== 'cleaning' || !room.since) return [];
  const due = addSeconds(room.since, settings.roomCleaningAlertMinutes * 60);
  return ms(now) > ms(due) ? [{ code: 'room_cleaning_too_long', since: due }] : [];
}
