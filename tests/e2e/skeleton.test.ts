import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStaff } from '../support/api';
import { launchChromium } from '../support/browser';
import { signIn } from '../support/e2e';
import { removeDir, startServer, type TestServer } from '../support/server';

describe('walking skeleton in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startServer();
    await seedStaff(server);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    removeDir(server.dir);
  });

  it('sends a visitor to sign in, keeping where they were going', async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/cases/some-case`);
    await page.waitForURL(/\/login\?next=%2Fcases%2Fsome-case/);
  });

  it('opens the live socket once signed in and says connected', async () => {
    const page = await signIn(browser, server, 'nurse');
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state')).toBe('connected');
  });
});
