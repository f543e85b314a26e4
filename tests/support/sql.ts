import Database from 'better-sqlite3';
import type { TestServer } from './server';
import { databaseUrlOf, onPostgres } from './test-store';

/**
 * A statement straight on the server's database, whichever store it runs on, for what a test checks
 * beneath the API (a trigger refusing a write, rows left unchanged). The text is written for both:
 * `?` placeholders (numbered for PostgreSQL here) and SQL both dialects read.
 */
export async function sql<T = Record<string, unknown>>(server: TestServer, text: string, ...params: unknown[]): Promise<T[]> {
  const postgres = server.app.postgres;
  if (postgres) {
    let n = 0;
    return (await postgres.pool.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
  }
  const statement = server.app.database.sqlite.prepare(text);
  if (statement.reader) return statement.all(...params) as T[];
  statement.run(...params);
  return [];
}

/** The first row of `sql`. */
export const sqlRow = async <T = Record<string, unknown>>(server: TestServer, text: string, ...params: unknown[]): Promise<T> =>
  (await sql<T>(server, text, ...params))[0]!;

/**
 * The same on the database at `databasePath` while no server holds it (on PostgreSQL, the database that
 * stands for that file): the state a killed process leaves, read or written from outside.
 */
export async function sqlAt<T = Record<string, unknown>>(databasePath: string, text: string, ...params: unknown[]): Promise<T[]> {
  if (onPostgres) {
    const [{ default: pg }, { connectionConfig }] = await Promise.all([import('pg'), import('../../db/pg/connection')]);
    // The app's own connection settings: counts and seqs read as numbers, as the server reads them.
    const client = new pg.Client(connectionConfig(await databaseUrlOf(databasePath)));
    await client.connect();
    try {
      let n = 0;
      return (await client.query(text.replace(/\?/g, () => `$${++n}`), params)).rows as T[];
    } finally {
      await client.end();
    }
  }
  const db = new Database(databasePath);
  try {
    const statement = db.prepare(text);
    if (statement.reader) return statement.all(...params) as T[];
    statement.run(...params);
    return [];
  } finally {
    db.close();
  }
}
