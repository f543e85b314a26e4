import type pg from 'pg';
import type { CaseEvent, CaseState } from '../../shared';
import type { StoreTransaction } from '../../db/store';

// The store keeps states and events as JSON it does not read: these carry just what it indexes.
export const actor = { id: 'staff-1', name: 'Inès Nurse', role: 'nurse' } as const;

export function caseState(id: string, version: number, extra: Partial<CaseState> = {}): CaseState {
  return { id, version, stage: 'scheduled', scheduledAt: '2026-12-01T08:00:00.000Z', roomId: null, ...extra } as CaseState;
}

export function caseEvent(type: string, data: Record<string, unknown> = {}, at = '2026-12-01T08:00:00.000Z'): CaseEvent {
  return { type, occurredAt: at, recordedAt: at, actor, data } as unknown as CaseEvent;
}

export async function addPatient(pool: pg.Pool, id: string) {
  await pool.query("insert into patients (id, mrn, first_name, last_name, birth_date, created_at) values ($1, $1, 'A', 'B', '1950-01-01', '2026-12-01T07:00:00.000Z')", [id]);
}

/** A new case at version 1: its projection, then its first event, as execute.ts commits one. */
export async function scheduleCase(tx: StoreTransaction, caseId: string, patientId: string) {
  await tx.saveCase(caseState(caseId, 1), '2026-12-01', patientId, '2026-12-01T07:00:00.000Z');
  return tx.append({ caseId, version: 1 }, caseEvent('CaseScheduled', { n: 1 }));
}
