import type { CommandType } from './command-types';
import { ROLE_PERMISSIONS } from './machine';

// `interface` is the hospital's interface engine, not a person: its account may only post bookings
// (the FHIR routes); its session opens nothing else (server/plugins/auth.ts).
export const ROLES = ['nurse', 'radiologist', 'coordinator', 'admin', 'interface'] as const;
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

// Who watches the interfaces' inbox and applies a refused message again (the Interfaces screen): the
// admin who fixes a room's name or a mapping, and the coordinator whose day it fills. The messages'
// text names patients: only PATIENT_DATA_READERS read it.
export const INTERFACE_WATCHERS: readonly Role[] = ['admin', 'coordinator'];

// Who may post the hospital's bookings (FHIR Appointment): the coordinator, or the interface's own account.
export const BOOKING_SENDERS: readonly Role[] = ['coordinator', 'interface'];

/** The only API paths an interface account's session opens: its bookings, and its own sign-in. */
export const isInterfacePath = (path: string): boolean => path.startsWith('/api/fhir/') || path === '/api/fhir' || path.startsWith('/api/auth/');

export function canSend(role: Role, type: PermissionType): boolean {
  // Read at call time: the machine's module imports the rules, which import this one.
  return ROLE_PERMISSIONS[role]?.includes(type) ?? false;
}
