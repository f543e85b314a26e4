import type { Actor } from './events';

// The hospital's systems book, move and cancel cases through the same commands a coordinator sends,
// under an actor of their own so the timeline and the audit say which interface did it. No staff
// account carries these ids (staff ids are random UUIDs), so nobody can sign in as one.
export const SYSTEM_ACTORS = {
  hl7: { id: 'interface:hl7', name: 'Interface HL7', role: 'coordinator' },
  fhir: { id: 'interface:fhir', name: 'Interface FHIR', role: 'coordinator' },
  csv: { id: 'interface:csv', name: 'Import CSV', role: 'coordinator' },
} as const satisfies Record<string, Actor>;

export type SystemActorKey = keyof typeof SYSTEM_ACTORS;

export const isSystemActor = (actor: Pick<Actor, 'id'>): boolean => actor.id.startsWith('interface:');
