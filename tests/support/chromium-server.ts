import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';
import { CHROMIUM, CHROMIUM_ARGS } from './browser';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumEndpoint: string;
  }
}

/**
 * One Chromium for every browser file of the run: each file connects to it (tens of milliseconds) instead
 * of starting its own (about a second of both cores each time). Files still never share a page, a cookie
 * or a storage: each works in browser contexts of its own, closed when its connection closes.
 */
export default async function setup(project: TestProject) {
  const server: BrowserServer = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  project.provide('chromiumEndpoint', server.wsEndpoint());
  return async () => {
    await server.close();
  };
}
