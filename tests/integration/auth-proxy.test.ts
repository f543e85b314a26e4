import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { forwardingProxy, postFrom, type ProxyAnswer } from '../support/forwarding-proxy';
import { removeDir, startServer, type TestServer } from '../support/server';

const PASSWORD = 'bonjour-la-salle-2';
const LOGIN = '/api/auth/login';
const serverPort = (server: TestServer) => Number(new URL(server.url).port);

// Machines played from one host: every 127.x.y.z is loopback.
const ATTACKER = '127.0.0.5';
const NURSE_TABLET = '127.0.0.2';

const statuses = (answers: ProxyAnswer[]) => answers.map((a) => a.status);

describe('TRUST_PROXY=1 behind a proxy that appends X-Forwarded-For: one hop, the address the proxy saw', () => {
  let server: TestServer;
  let proxy: Awaited<ReturnType<typeof forwardingProxy>>;
  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '1', LOGIN_RATE_LIMIT: '10' });
    await server.app.accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
    proxy = await forwardingProxy(server);
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('limits a client that forges a new X-Forwarded-For on every try, plain or already "appended"', async () => {
    const plain: ProxyAnswer[] = [];
    for (let i = 0; i < 25; i++) {
      plain.push(await postFrom(proxy.port, ATTACKER, LOGIN, { username: `u${i}`, password: 'guess-guess' }, { 'x-forwarded-for': `192.0.2.${i}` }));
    }
    expect(statuses(plain).slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses(plain).slice(10)).toEqual(Array(15).fill(429));
    expect(plain[24]!.headers['retry-after']).toBeDefined();

    const appended: ProxyAnswer[] = [];
    for (let i = 0; i < 25; i++) {
      const forged = `192.0.2.${i}, 127.0.0.1`;
      appended.push(await postFrom(proxy.port, '127.0.0.6', LOGIN, { username: `v${i}`, password: 'guess-guess' }, { 'x-forwarded-for': forged }));
    }
    expect(statuses(appended).filter((s) => s === 429)).toHaveLength(15);
  });

  it('refuses a flood of 300 concurrent sign-ins with forged addresses, and a nurse signing in meanwhile gets in', async () => {
    const flood = Array.from({ length: 300 }, (_, i) =>
      postFrom(proxy.port, '127.0.0.7', LOGIN, { username: `flood-${i}`, password: 'guess-guess' }, { 'x-forwarded-for': `203.0.113.${i % 250}` }),
    );
    const started = Date.now();
    const nurse = await postFrom(proxy.port, NURSE_TABLET, LOGIN, { username: 'ines', password: PASSWORD });
    const nurseMs = Date.now() - started;
    const answers = await Promise.all(flood);

    expect(nurse.status, JSON.stringify(nurse.body)).toBe(200);
    const refused = answers.filter((a) => a.status === 429 || a.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(280);
    expect(answers.every((a) => [401, 429, 503].includes(a.status))).toBe(true);
    console.info(`sign-in flood through the proxy: ${refused.length} of 300 refused (429/503); nurse in after ${nurseMs} ms`);
  });
});

describe('a flood whose addresses really differ (many machines, or a server reachable past its proxy)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '1', LOGIN_RATE_LIMIT: '10' });
    await server.app.accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('hashes a bounded few and refuses the rest at once with 503 problem+json and Retry-After; the nurse gets in on her retry', async () => {
    const started = Date.now();
    const flood = Array.from({ length: 300 }, (_, i) =>
      postFrom(serverPort(server), ATTACKER, LOGIN, { username: `flood-${i}`, password: 'guess-guess' }, {
        'x-forwarded-for': `198.51.${Math.floor(i / 250)}.${i % 250}`,
        'accept-language': i % 2 ? 'fr' : 'en',
      }),
    );
    // She does what the sign-in screen tells her: try again in a moment. Her attempts draw lots with
    // the flood's (their addresses differ as much as hers), so she may be turned away until its line
    // has drained: a few seconds on a loaded two-core machine, well within ten tries.
    let nurse: ProxyAnswer | null = null;
    let tries = 0;
    while (tries < 10) {
      tries += 1;
      nurse = await postFrom(serverPort(server), NURSE_TABLET, LOGIN, { username: 'ines', password: PASSWORD });
      if (nurse.status !== 503) break;
      await new Promise((r) => setTimeout(r, Number(nurse!.headers['retry-after']) * 1000));
    }
    const answers = await Promise.all(flood);
    const hashed = answers.filter((a) => a.status === 401);
    const busy = answers.filter((a) => a.status === 503);

    expect(nurse!.status, JSON.stringify(nurse!.body)).toBe(200);
    expect(busy.length).toBeGreaterThanOrEqual(250);
    expect(hashed.length + busy.length).toBe(300);
    const en = busy.find((a) => a.headers['content-language'] === 'en')!;
    const fr = busy.find((a) => a.headers['content-language'] === 'fr')!;
    expect(en.headers['content-type']).toContain('application/problem+json');
    expect(en.body).toMatchObject({ status: 503, code: 'server_busy' });
    expect(en.body.detail).toMatch(/try again/);
    expect(fr.body.detail).toMatch(/réessayez/);
    expect(Number(en.headers['retry-after'])).toBeGreaterThan(0);
    console.info(`sign-in flood: ${hashed.length} of 300 hashed, ${busy.length} refused with 503; nurse in after ${tries} tries, ${Date.now() - started} ms`);
  });

  it('does not count an attempt refused as busy against the username', async () => {
    const flood = Array.from({ length: 100 }, (_, i) =>
      postFrom(serverPort(server), ATTACKER, LOGIN, { username: `other-${i}`, password: 'guess-guess' }, { 'x-forwarded-for': `198.18.0.${i}` }),
    );
    const wrong = Array.from({ length: 10 }, (_, i) =>
      postFrom(serverPort(server), ATTACKER, LOGIN, { username: 'ines', password: `wrong-${i}` }, { 'x-forwarded-for': `198.19.0.${i}` }),
    );
    const answers = await Promise.all(wrong);
    await Promise.all(flood);
    const busy = answers.filter((a) => a.status === 503).length;
    // Ten failures counted would lock her; refused unhashed, they leave her account as it was.
    expect(busy).toBeGreaterThanOrEqual(6);
    const right = await postFrom(serverPort(server), NURSE_TABLET, LOGIN, { username: 'ines', password: PASSWORD });
    expect(right.status, JSON.stringify(right.body)).toBe(200);
  });
});

describe('TRUST_PROXY as the proxy\'s addresses: only that peer is believed', () => {
  let server: TestServer;
  let proxy: Awaited<ReturnType<typeof forwardingProxy>>;
  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '127.0.0.9/32', LOGIN_RATE_LIMIT: '10' });
    await server.app.accounts.createStaff({ username: 'ines', displayName: 'Inès Martin', role: 'nurse', password: PASSWORD });
    proxy = await forwardingProxy(server, '127.0.0.9');
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('ignores the forwarded address of a client that reaches the server directly', async () => {
    const direct: ProxyAnswer[] = [];
    for (let i = 0; i < 15; i++) {
      direct.push(await postFrom(serverPort(server), ATTACKER, LOGIN, { username: `u${i}`, password: 'guess-guess' }, { 'x-forwarded-for': `192.0.2.${i}` }));
    }
    expect(statuses(direct).filter((s) => s === 429)).toHaveLength(5);
  });

  it('tells apart the clients behind the trusted proxy: an attacker throttled there leaves the nurse her own budget', async () => {
    for (let i = 0; i < 15; i++) await postFrom(proxy.port, '127.0.0.8', LOGIN, { username: `w${i}`, password: 'guess-guess' }, { 'x-forwarded-for': `192.0.2.${i}` });
    const attacker = await postFrom(proxy.port, '127.0.0.8', LOGIN, { username: 'x', password: 'guess-guess' });
    expect(attacker.status).toBe(429);
    expect((await postFrom(proxy.port, NURSE_TABLET, LOGIN, { username: 'ines', password: PASSWORD })).status).toBe(200);
  });
});

describe('TRUST_PROXY setting', () => {
  const read = (value: string) => loadConfig({ DATABASE_PATH: '/tmp/unused.sqlite', TRUST_PROXY: value }).trustProxy;
  it('reads off, a hop count, or addresses and CIDRs', () => {
    expect(read('0')).toBe(false);
    expect(read('')).toBe(false);
    expect(read('1')).toBe(1);
    expect(read('true')).toBe(1);
    expect(read('2')).toBe(2);
    expect(read('10.0.0.2, 10.1.0.0/16,::1, fd00::/8, loopback')).toEqual(['10.0.0.2', '10.1.0.0/16', '::1', 'fd00::/8', 'loopback']);
  });
  it('refuses anything else with a one-line reason', () => {
    for (const bad of ['everyone', '10.0.0.0/33', '10.0.0.300', '11', '10.0.0.1,']) expect(() => read(bad), bad).toThrow(ConfigError);
  });
});
