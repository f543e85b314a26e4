import { PATIENT_DATA_READERS, type Role } from '$shared';

/** Who may see patients (the server refuses the rest): only they get the day's list and its live feed. */
export const readsPatients = (role: Role): boolean => PATIENT_DATA_READERS.includes(role);

/** Where a role lands after signing in: the day's patients, or administration for an admin. */
export const homeOf = (role: Role): string => (readsPatients(role) ? '/' : '/admin');
