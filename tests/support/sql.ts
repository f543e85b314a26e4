import type { TestServer } from './server';

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
