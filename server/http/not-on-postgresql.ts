import { Problem } from './problem';

/**
 * What code still written for the SQLite connection (`app.database`) meets when the app runs on
 * PostgreSQL: a clear refusal, never a read of a SQLite file no other instance sees.
 */
export const notOnPostgresql = () => new Problem(501, 'not_on_postgresql', { key: 'problem.not_on_postgresql' });
