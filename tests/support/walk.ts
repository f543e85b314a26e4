import type { Browser } from 'playwright-core';
import type { Actor } from '../../shared';
import { seedStaff } from './api';
import { launchChromium } from './browser';
import { requireBuiltSite } from './e2e';
import { removeDir, startServer, type TestServer } from './server';

export interface Walk {
  server: TestServer;
  browser: Browser;
  staff: Awaited<ReturnType<typeof seedStaff>>;
  /** The coordinator as the actor a case is booked by (scheduleInThePast). */
  coordinator: Actor;
  close(): Promise<void>;
}

/** What a browser walk starts from: the built site, a real server with the four staff accounts, and Chromium. */
export async function openWalk(env: Record<string, string> = {}): Promise<Walk> {
  requireBuiltSite();
  const server = await startServer(env);
  const staff = await seedStaff(server);
  const browser = await launchChromium();
  return {
    server,
    browser,
    staff,
    coordinator: { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' },
    close: async () => {
      await browser.close();
      await server.close();
      removeDir(server.dir);
    },
  };
}
