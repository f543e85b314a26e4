/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
import { build, files, version } from '$service-worker';

// The app shell, and nothing else: the built site is precached so the tablet screens open and reload
// with no network. API answers are never cached here (they carry patient data, and the server marks
// them no-store): what a bedside screen needs after a reload the page keeps itself, for the signed-in
// session only (web/src/lib/offline/offline-db.ts), and sign-out empties it.
const worker = self as unknown as ServiceWorkerGlobalScope;
const SHELL = `cryoday-shell-${version}`;
// Every path that is not a file is the single-page app: Fastify serves index.html for it.
const PAGE = '/';
const PRECACHED = new Set([...build, ...files]);

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll([PAGE, ...PRECACHED]))
      .then(() => worker.skipWaiting()),
  );
});

// A new version replaces the old shell at once: an old shell would send commands a newer server may refuse.
worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key !== SHELL).map((key) => caches.delete(key))))
      .then(() => worker.clients.claim()),
  );
});

async function fromShell(request: Request, path: string): Promise<Response> {
  const cache = await caches.open(SHELL);
  // Built files carry their hash in their name: the cached one is the right one.
  if (PRECACHED.has(path)) return (await cache.match(path)) ?? fetch(request);
  // A page: the network first (a new release, the server's headers), the shell when it cannot answer.
  try {
    return await fetch(request);
  } catch (error) {
    const shell = await cache.match(PAGE);
    if (shell) return shell;
    throw error;
  }
}

worker.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode !== 'navigate' && !PRECACHED.has(url.pathname)) return;
  event.respondWith(fromShell(request, url.pathname));
});
