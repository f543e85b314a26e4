import type { CommandType } from './command-types';

export const ROLES = ['nurse', 'radiologist', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

// Everything a role may send: case commands plus the two that are not case commands
// (creating a case, and releasing a cleaned room).
export type PermissionType = CommandType | 'schedule_case' | 'room_ready';

// The server enforces this table (decide() too); the UI only uses it to hide what would be refused.
// Coordinators plan, they never record a clinical act; admins manage accounts, not patients.
export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly PermissionType[]>> = {
  nurse: [
    'admit',
    'record_checklist',
    'mark_ready',
    'enter_room',
    'confirm_time_out',
    'give_sedation',
    'apply_dressing',
    'confirm_sign_out',
    'start_observation',
    'record_vitals',
    'record_aldrete',
    'record_padss',
    'record_complication',
    'record_pain_score',
    'discharge',
    'cancel',
    'correct_last',
    'room_ready',
  ],
  radiologist: [
    'enter_room',
    'confirm_time_out',
    'give_sedation',
    'give_local_anesthesia',
    'position_probe',
    'record_stimulation',
    'start_freeze',
    'end_freeze',
    'end_thaw',
    'remove_probe',
    'abort',
    'apply_dressing',
    'confirm_sign_out',
    'record_vitals',
    'record_aldrete',
    'record_padss',
    'override_discharge_score',
    'record_complication',
    'record_pain_score',
    'cancel',
    'transfer',
    'correct_last',
  ],
  coordinator: ['schedule_case', 'reschedule_case', 'cancel'],
  admin: [],
};

// Who may read patient data (the day's cases and their timelines, reports, follow-up): clinical
// staff and coordinators. Admins manage accounts and screens and never see a patient.
export const PATIENT_DATA_READERS: readonly Role[] = ['nurse', 'radiologist', 'coordinator'];

export function canSend(role: Role, type: PermissionType): boolean {
  return ROLE_PERMISSIONS[role]?.includes(type) ?? false;
}
