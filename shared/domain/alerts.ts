import { hasEscort } from './checklist';
import { requiredObservationMinutes, type Settings } from './settings';
import { isTerminal } from './stages';
import { currentCycle, stageSince, type CaseState } from './state';
import { addSeconds, ms } from './time';
import { MIN_PADSS, VITAL_RANGES, vitalsInRange } from './vitals';

export const ALERT_CODES = [
  'vitals_abnormal',
  'freeze_overrun',
  'sedated_without_escort',
  'observation_overdue',
  'waiting_ready_too_long',
] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

export interface Alert {
  code: AlertCode;
  since?: string;
}

// The numbers behind the alerts, as one data object the board legend and the reports can print.
export const ALERT_THRESHOLDS = { vitals: VITAL_RANGES, minPadss: MIN_PADSS } as const;

// Computed, never stored: the server and every board derive the same alerts from the same state
// and the clock they are given.
export function alertsFor(state: CaseState, now: string, settings: Settings): Alert[] {
  if (isTerminal(state.stage)) return [];
  const alerts: Alert[] = [];
  const latest = state.vitals[state.vitals.length - 1];
  if (latest && !vitalsInRange(latest)) alerts.push({ code: 'vitals_abnormal', since: latest.at });

  const cycle = state.stage === 'freezing' ? currentCycle(state) : undefined;
  if (cycle) {
    const due = addSeconds(cycle.freezeStartedAt, cycle.plannedSeconds);
    if (ms(now) > ms(due)) alerts.push({ code: 'freeze_overrun', since: due });
  }

  if (state.sedated && !hasEscort(state.checklist)) alerts.push({ code: 'sedated_without_escort' });

  if (state.stage === 'observation' && state.observationStartedAt) {
    const minutes = requiredObservationMinutes(state.sedated, settings) + settings.observationOverdueMinutes;
    const due = addSeconds(state.observationStartedAt, minutes * 60);
    if (ms(now) > ms(due)) alerts.push({ code: 'observation_overdue', since: due });
  }

  if (state.stage === 'ready') {
    const due = addSeconds(stageSince(state), settings.readyWaitAlertMinutes * 60);
    if (ms(now) > ms(due)) alerts.push({ code: 'waiting_ready_too_long', since: due });
  }
  return alerts;
}
