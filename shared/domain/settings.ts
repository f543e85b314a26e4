// Unit-tunable numbers. Defaults follow DESIGN.md; the server may load overrides, the shared rules
// always receive them explicitly so server and board compute the same thing.
export interface Settings {
  observationMinutes: number;
  sedatedObservationMinutes: number;
  readyWaitAlertMinutes: number;
  // Extra minutes, beyond the required observation, after which a patient still in observation is flagged.
  observationOverdueMinutes: number;
  vitalsMaxAgeMinutes: number;
  // A sedated patient in the room or in observation has vitals noted at least this often.
  sedationVitalsMinutes: number;
  // Tolerance for an occurredAt slightly ahead of the server clock (tablet clocks drift).
  clockSkewSeconds: number;
  // How many freeze/thaw cycles the unit usually gives one target: the next step offers another freeze until then.
  cyclesPerTarget: number;
  // A room still being cleaned after this many minutes is flagged on the board and the rooms strip.
  roomCleaningAlertMinutes: number;
  // Used only to print wall-clock times (board slot labels); the unit is in Paris.
  timeZone: string;
}

export const DEFAULT_SETTINGS: Settings = {
  observationMinutes: 15,
  sedatedObservationMinutes: 30,
  readyWaitAlertMinutes: 45,
  observationOverdueMinutes: 30,
  vitalsMaxAgeMinutes: 15,
  sedationVitalsMinutes: 5,
  clockSkewSeconds: 60,
  cyclesPerTarget: 2,
  roomCleaningAlertMinutes: 20,
  timeZone: 'Europe/Paris',
};

export const requiredObservationMinutes = (sedated: boolean, settings: Settings): number =>
  sedated ? settings.sedatedObservationMinutes : settings.observationMinutes;
