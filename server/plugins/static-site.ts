import { existsSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { problems, sendProblem } from '../http/problem';

const REVALIDATED = ['/index.html', '/service-worker.js', '/manifest.webmanifest'];

export const SITE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/build');
const IMMUTABLE = resolve(SITE_ROOT, '_app/immutable') + sep;

/**
 * Serves the built SvelteKit SPA. Unknown paths outside /api get the SPA's fallback page so deep
 * links (/cases/…, /board) work on reload; unknown /api paths stay problem+json 404s.
 */
export default fp(
  async function staticSite(app: FastifyInstance) {
    const hasSite = existsSync(resolve(SITE_ROOT, 'index.html'));
    if (hasSite) {
      await app.register(fastifyStatic, {
        root: SITE_ROOT,
        wildcard: false,
        index: ['index.html'],
        // The page, the service worker and the manifest name the release: a tablet asks again each time,
        // so a new release reaches it at its next load. The hashed files under _app/immutable never change
        // under their name, so a page load does not ask for each of them again.
        setHeaders: (reply, path) => {
          if (REVALIDATED.some((file) => path.endsWith(file))) reply.header('cache-control', 'no-cache');
          else if (path.startsWith(IMMUTABLE)) reply.header('cache-control', 'public, max-age=31536000, immutable');
        },
      });
    } else {
      app.log.warn(`no built site in ${SITE_ROOT}: run "npm run build" (npm start does it for you)`);
    }
    app.setNotFoundHandler((request, reply) => {
      const path = request.url.split('?')[0] ?? '';
      if (hasSite && request.method === 'GET' && !path.startsWith('/api')) {
        return reply.type('text/html; charset=utf-8').sendFile('index.html');
      }
      return sendProblem(request, reply, problems.notFound());
    });
  },
  { name: 'static-site' },
);
