import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import type { Actor, ScheduleCaseBody } from '../../shared';
import { createDisplayToken } from '../../server/auth/display-tokens';
import { scheduleCase } from '../../server/cases/execute';
import { TEST_PASSWORD, newCaseBody } from './api';
import { onToday } from './day';
import type { TestServer } from './server';

const SITE = new URL('../../web/build/index.html', import.meta.url);
const AXE = new URL('../../node_modules/axe-core/axe.min.js', import.meta.url).pathname;

/** Browser tests need the built site (npm test builds it; alone: cd web && npx vite build). */
export function requireBuiltSite() {
  if (!existsSync(SITE)) throw new Error('web/build is missing: run `cd web && npx vite build` (npm test does it for you)');
}

export const TABLET = { width: 1024, height: 768 };
export const WALL = { width: 1920, height: 1080 };

/** A fresh browser context signed in through the real sign-in page, in French unless told otherwise. */
/** `bypassCSP` lets axe-core's injected script run (the site's CSP refuses inline scripts, as it should). */
export async function signIn(
  browser: Browser,
  server: TestServer,
  username: string,
  opts: { lang?: 'fr' | 'en'; password?: string; viewport?: typeof TABLET; bypassCSP?: boolean; serviceWorkers?: 'allow' | 'block' } = {},
) {
  const lang = opts.lang ?? 'fr';
  const context = await browser.newContext({
    viewport: opts.viewport ?? TABLET,
    locale: lang === 'fr' ? 'fr-FR' : 'en-GB',
    hasTouch: true,
    ...(opts.bypassCSP ? { bypassCSP: true } : {}),
    ...(opts.serviceWorkers ? { serviceWorkers: opts.serviceWorkers } : {}),
  });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(opts.password ?? TEST_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('current-user').waitFor();
  return page;
}

export async function openBoard(browser: Browser, server: TestServer, token: string, lang: 'fr' | 'en' = 'fr', bypassCSP = false, serviceWorkers: 'allow' | 'block' = 'block') {
  const context = await browser.newContext({ viewport: WALL, locale: lang === 'fr' ? 'fr-FR' : 'en-GB', bypassCSP, serviceWorkers });
  const page = await context.newPage();
  await page.goto(`${server.url}/board?token=${encodeURIComponent(token)}&lang=${lang}`);
  await waitConnected(page);
  return page;
}

export const waitConnected = (page: Page, timeout = 5000) =>
  page.locator('[data-testid="live-status"][data-state="connected"]').first().waitFor({ timeout });

export const displayToken = (server: TestServer) => createDisplayToken(server.app.database.db, 'Wall', new Date()).token;

/** HH:MM in Paris, `minutesAgo` minutes before `from` (now): what a nurse types to back-date a step. */
export function parisTime(minutesAgo: number, from = Date.now()): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(
    new Date(from - minutesAgo * 60_000),
  );
}

/**
 * Schedules a case as if the coordinator had done it `minutesAgo` minutes ago, so the steps that follow
 * can be back-dated (the API stamps a new case with the server clock, and nothing may be dated before it).
 */
export async function scheduleInThePast(server: TestServer, coordinator: Actor, minutesAgo: number, overrides: Partial<ScheduleCaseBody> = {}) {
  const now = new Date(Date.now() - minutesAgo * 60_000);
  const body = newCaseBody({ scheduledAt: new Date(onToday(now.getTime())).toISOString(), ...overrides }) as ScheduleCaseBody;
  const result = await server.app.groupCommit.run((tx) =>
    scheduleCase({ tx, settings: server.app.settings, labelMode: server.app.config.boardLabel, actor: coordinator, now }, body),
  );
  server.app.publish(result.publications);
  return (result.body as { case: { id: string } }).case.id;
}

/** Serious and critical axe-core violations on the page as it stands. */
export async function axeViolations(page: Page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(document, { resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** A port free right now, so a restarted server can come back on the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Submits a command's form on the case view, back-dated to `at` (HH:MM) when given. */
export async function submitStep(page: Page, command: string, at?: string) {
  const form = page.getByTestId(`form-${command}`);
  if (at) await form.locator(`#${command}-at`).fill(at);
  await form.getByTestId(`submit-${command}`).click();
}
