import type { CommandType } from './command-types';
import { ROLE_PERMISSIONS } from './machine';

export const ROLES = ['nurse', 'radiologist', 'coordinator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

// Everything a role may send: case commands plus the two that are not case commands
// (creating a case, and releasing a cleaned room).
export type PermissionType = CommandType | 'schedule_case' | 'room_ready';

// Who may send which command is a column of the machine table (shared/domain/machine.ts); the
// per-role view of it is read off there.
export { ROLE_PERMISSIONS };

// Who may read patient data (the day's cases and their timelines, reports, follow-up): clinical
// staff and coordinators. Admins manage accounts and screens and never see a patient.
export const PATIENT_DATA_READERS: readonly Role[] = ['nurse', 'radiologist', 'coordinator'];

// Who reads the unit's activity over weeks and months: those who report it (the coordinator) and
// answer for its outcomes (the radiologists).
export const RANGE_REPORT_READERS: readonly Role[] = ['coordinator', 'radiologist'];

export function canSend(role: Role, type: PermissionType): boolean {
  // Read at call time: the machine's module imports the rules, which import this one.
  return ROLE_PERMISSIONS[role]?.includes(type) ?? false;
}
