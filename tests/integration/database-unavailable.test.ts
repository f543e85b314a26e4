import { createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionConfig } from '../../db/pg/connection-config';
import { isDatabaseUnavailable } from '../../server/http/database-unavailable';

const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));

const failureOf = async (url: string, extra: pg.PoolConfig = {}) => {
  const pool = new pg.Pool(connectionConfig(url, extra));
  try {
    await pool.query('select 1');
    throw new Error('the query was answered');
  } catch (error) {
    return error;
  } finally {
    await pool.end();
  }
};

describe('which driver errors mean the database is out of reach', () => {
  const sockets: Socket[] = [];
  // Accepts the connection and never says a word, as a database behind a dead link does.
  const silent = createServer((socket) => void sockets.push(socket));
  // Accepts, then hangs up at once, as a server shutting down does.
  const hangsUp = createServer((socket) => socket.destroy());
  let silentPort: number;
  let hangsUpPort: number;
  let closedPort: number;

  beforeAll(async () => {
    silentPort = await listen(silent);
    hangsUpPort = await listen(hangsUp);
    const probe = createServer();
    closedPort = await listen(probe);
    await new Promise((r) => probe.close(r));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await Promise.all([silent, hangsUp].map((s) => new Promise((r) => s.close(r))));
  });

  it('given a refused connection, a silent one past the connect timeout, or one cut at once, then each is out of reach', async () => {
    expect(isDatabaseUnavailable(await failureOf(`postgres://u@127.0.0.1:${closedPort}/db`))).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(`postgres://u@127.0.0.1:${silentPort}/db`, { connectionTimeoutMillis: 200 }))).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(`postgres://u@127.0.0.1:${hangsUpPort}/db`))).toBe(true);
    expect(isDatabaseUnavailable(await failureOf(`postgres://u@/db?host=/nonexistent-cryoday-socket-dir&port=5432`))).toBe(true);
  });

  it('given a statement the database refused, or any other error, then it is not', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('no such file'), { code: 'ENOENT', syscall: 'open' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('the transaction was rolled back'))).toBe(false);
    expect(isDatabaseUnavailable('ECONNREFUSED')).toBe(false);
  });
});
