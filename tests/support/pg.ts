import { describe, inject } from 'vitest';
import { freshDatabase } from './postgres';

/** The run's cluster (tests/support/postgres-cluster.ts), null when PostgreSQL is not installed. */
export const cluster = inject('postgres');

/**
 * A describe that runs against the run's cluster, and shows as skipped, by name, where PostgreSQL is
 * not installed (the globalSetup has said why; under CI it fails instead).
 */
export const describePostgres: typeof describe = cluster ? describe : (describe.skip as typeof describe);

/** A new empty database of the run's cluster. */
export function newDatabase(prefix?: string): Promise<string> {
  if (!cluster) throw new Error('no PostgreSQL cluster in this run');
  return freshDatabase(cluster, prefix);
}
