import { chromium, type Browser, type BrowserContext } from 'playwright-core';
import { inject } from 'vitest';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags that work on these machines: no sandbox as root, no GPU, no background network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The browser's own report of a refused request (a 409, a 422, a socket to a stopped server): the screen
 * handles those answers and says so in words, so they are not defects. Everything else logged as an error
 * (an exception, a Svelte runtime error, a pattern Chromium cannot compile) is.
 */
const NETWORK_NOISE = [/^Failed to load resource: /, /^WebSocket connection to '.*' failed/];

const consoleErrors: string[] = [];

/** The console errors and uncaught exceptions seen in any page since the last call (tests/support/console-guard.ts fails on them). */
export function takeConsoleErrors(): string[] {
  return consoleErrors.splice(0);
}

function watch(context: BrowserContext) {
  context.on('console', (message) => {
    if (message.type() !== 'error' || NETWORK_NOISE.some((noise) => noise.test(message.text()))) return;
    consoleErrors.push(`${message.page()?.url() ?? '?'}: ${message.text()}`);
  });
  context.on('weberror', (error) => consoleErrors.push(`${error.page()?.url() ?? '?'}: uncaught ${error.error().message}`));
  return context;
}

/**
 * Debian's Chromium: the run's shared one (tests/support/chromium-server.ts) where the browser project
 * started it, else one of this file's own. Closing it closes this file's contexts and connection only.
 */
export async function launchChromium(): Promise<Browser> {
  const endpoint = inject('chromiumEndpoint');
  const browser = endpoint
    ? await chromium.connect(endpoint)
    : await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  // browser.newPage() goes through newContext(), so every page of every test is watched. The service
  // worker precaches the whole site (65 files) in every fresh context: only the walks about going
  // offline ask for it (serviceWorkers: 'allow'); the others load the site straight from the server.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => watch(await newContext({ serviceWorkers: 'block', ...options }));
  return browser;
}
