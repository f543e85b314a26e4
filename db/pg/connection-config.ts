import pg from 'pg';

const INT8_OID = 20;

/**
 * A connection attempt left unanswered this long fails (a database behind a dead network never
 * refuses): the request that needed it is answered 503, rather than waiting for TCP to give up.
 */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Every connection of ours reads bigint (seq, counts) as a number, as SQLite's driver does: a log of
 * 2^53 events is out of reach. Set per connection, not on the driver's global table.
 */
export function connectionConfig(connectionString: string, extra: pg.PoolConfig = {}): pg.PoolConfig {
  const types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  return { connectionString, types, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...extra };
}
