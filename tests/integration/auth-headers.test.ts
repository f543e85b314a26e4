import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineScriptHashes } from '../../server/plugins/security';
import { SITE_ROOT } from '../../server/plugins/static-site';
import { http } from '../support/auth';
import { removeDir, startServer, type TestServer } from '../support/server';

const INDEX = resolve(SITE_ROOT, 'index.html');

/** The policy as a map of directive → sources. */
const parseCsp = (header: string | null) =>
  Object.fromEntries(
    (header ?? '')
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );

describe('security headers', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
    removeDir(server.dir);
  });

  it('sends a strict policy on the site, the SPA fallback, the API and its errors', async () => {
    for (const path of ['/', '/board?token=x', '/api/health', '/api/nope', '/api/cases']) {
      const res = await http(server, 'GET', path);
      const csp = parseCsp(res.headers.get('content-security-policy'));
      expect(csp['default-src'], path).toEqual(["'self'"]);
      expect(csp['script-src']?.[0]).toBe("'self'");
      expect(csp['script-src']).not.toContain("'unsafe-inline'");
      expect(csp['script-src']).not.toContain("'unsafe-eval'");
      expect(csp['script-src-attr']).toEqual(["'none'"]);
      expect(csp['connect-src']).toEqual(["'self'"]);
      expect(csp['img-src']).toEqual(["'self'", 'data:']);
      expect(csp['object-src']).toEqual(["'none'"]);
      expect(csp['frame-ancestors']).toEqual(["'none'"]);
      expect(csp['base-uri']).toEqual(["'none'"]);
      // Would break a unit serving plain HTTP on its LAN.
      expect(csp).not.toHaveProperty('upgrade-insecure-requests');
      expect(res.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('permissions-policy')).toContain('camera=()');
      expect(res.headers.get('x-powered-by')).toBeNull();
    }
  });

  it.skipIf(!existsSync(INDEX))('allows exactly the inline bootstrap scripts of the built index.html', async () => {
    const html = readFileSync(INDEX, 'utf8');
    const hashes = inlineScriptHashes(html);
    expect(hashes.length).toBeGreaterThan(0);
    const meta = /http-equiv="content-security-policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    for (const hash of hashes) expect(meta).toContain(hash);
    const csp = parseCsp((await http(server, 'GET', '/')).headers.get('content-security-policy'));
    expect(csp['script-src']).toEqual(["'self'", ...hashes]);
  });

  it('keeps API answers out of caches, and leaves the static site cacheable', async () => {
    expect((await http(server, 'GET', '/api/health')).headers.get('cache-control')).toBe('no-store');
    expect((await http(server, 'GET', '/api/cases')).headers.get('cache-control')).toBe('no-store');
    expect((await http(server, 'GET', '/favicon.svg')).headers.get('cache-control')).not.toBe('no-store');
  });
});
