import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../shared';
import { seedStaff } from './api';
import { launchChromium } from './browser';
import { freePort, requireBuiltSite } from './e2e';
import { removeDir, startServer, type TestServer } from './server';

export interface Walk {
  /** The server running now (a new one after `restart`). */
  server: TestServer;
  browser: Browser;
  staff: Awaited<ReturnType<typeof seedStaff>>;
  /** The coordinator as the actor a case is booked by (scheduleInThePast). */
  coordinator: Actor;
  /** Stops the server: every tablet loses it at once, sockets included (what `setOffline` cannot do). */
  stop(): Promise<void>;
  /** Starts it again on the same address with the same database; `beforeListen` runs before any tablet can reach it. */
  restart(beforeListen?: (app: FastifyInstance) => unknown): Promise<TestServer>;
  close(): Promise<void>;
}

/** What a browser walk starts from: the built site, a real server with the four staff accounts, and Chromium. */
export async function openWalk(env: Record<string, string> = {}, options: { restartable?: boolean } = {}): Promise<Walk> {
  requireBuiltSite();
  // A restarted server must come back where the tablets look for it.
  const port: Record<string, string> = options.restartable && !env.PORT ? { PORT: String(await freePort()) } : {};
  let running = true;
  const server = await startServer({ ...env, ...port });
  const staff = await seedStaff(server);
  const browser = await launchChromium();
  const walk: Walk = {
    server,
    browser,
    staff,
    coordinator: { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' },
    stop: async () => {
      if (running) await walk.server.close();
      running = false;
    },
    restart: async (beforeListen) => {
      await walk.stop();
      walk.server = await startServer({ ...env, ...port }, walk.server.dir, beforeListen ? { beforeListen } : {});
      running = true;
      return walk.server;
    },
    close: async () => {
      await browser.close();
      await walk.stop();
      removeDir(walk.server.dir);
    },
  };
  return walk;
}
