import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SITE_ROOT } from './static-site';

/**
 * The hashes of the inline bootstrap script(s) SvelteKit writes into index.html (kit `csp.mode: 'hash'`).
 * The header and SvelteKit's own <meta> policy are both enforced, so the header must allow exactly
 * those scripts: it computes their SHA-256 itself and also takes any hash the meta policy lists.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes = new Set<string>();
  for (const match of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gi)) {
    if (/\ssrc\s*=/i.test(match[1] ?? '')) continue;
    hashes.add(`'sha256-${createHash('sha256').update(match[2] ?? '', 'utf8').digest('base64')}'`);
  }
  const meta = /<meta\s+http-equiv="content-security-policy"\s+content="([^"]*)"/i.exec(html)?.[1] ?? '';
  for (const hash of meta.match(/'sha(256|384|512)-[A-Za-z0-9+/=]+'/g) ?? []) hashes.add(hash);
  return [...hashes].sort();
}

function siteScriptHashes(): string[] {
  const index = resolve(SITE_ROOT, 'index.html');
  return existsSync(index) ? inlineScriptHashes(readFileSync(index, 'utf8')) : [];
}

/**
 * The policy every response carries. No inline script runs except SvelteKit's hashed bootstrap; the
 * live socket is same-origin ('self' covers ws:/wss: to our own host); nothing may frame the app.
 * Styles allow inline: Svelte and SvelteKit write `style` attributes (the body wrapper's
 * `display: contents`, style props in templates cloned from HTML), which CSP governs like <style>
 * blocks; a style cannot run script, and everything rendered is escaped by Svelte.
 */
export function contentSecurityPolicy(scriptHashes: readonly string[]) {
  return {
    useDefaults: false,
    directives: {
      'default-src': ["'self'"],
      'script-src': ["'self'", ...scriptHashes],
      'script-src-attr': ["'none'"],
      'style-src': ["'self'", "'unsafe-inline'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'manifest-src': ["'self'"],
      'worker-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    },
  };
}

// Clinical devices need none of these; denying them shrinks what an injected script could reach.
const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=()';

export default fp(
  async function security(app: FastifyInstance) {
    const hashes = siteScriptHashes();
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: contentSecurityPolicy(hashes),
      // Kept off: upgrade-insecure-requests would break a unit that serves plain HTTP on its LAN.
      // HSTS is only honoured over HTTPS, where it belongs.
      strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
      referrerPolicy: { policy: 'no-referrer' },
      frameguard: { action: 'deny' },
      crossOriginEmbedderPolicy: false,
      crossOriginOpenerPolicy: { policy: 'same-origin' },
      crossOriginResourcePolicy: { policy: 'same-origin' },
    });

    app.addHook('onRequest', async (request, reply) => {
      reply.header('permissions-policy', PERMISSIONS_POLICY);
      // API answers hold patient data: a shared tablet's cache must never keep them.
      if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    });
  },
  { name: 'security' },
);
