// Screenshots of each screen from a demo-day server, for the README:
//   npx tsx scripts/screenshots.ts   (build the site first: cd web && npx vite build)
import { createDisplayToken } from '../server/auth/display-tokens';
import { launchChromium } from '../tests/support/browser';
import { removeDir, startServer } from '../tests/support/server';

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
const only = process.argv[2];

const server = await startServer({ CRYODAY_DEMO: '1', ROOMS: process.env.ROOMS ?? 'Salle 1,Salle 2,Salle 3' });
const browser = await launchChromium();
try {
  const token = createDisplayToken(server.app.database.db, 'Screenshots', new Date()).token;

  if (!only || only === 'board') {
    const board = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'fr-FR' });
    await board.goto(`${server.url}/board?token=${token}&lang=fr`);
    await board.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    await board.locator('[data-testid^="board-card-"]').first().waitFor();
    await board.screenshot({ path: `${OUT}board-1920x1080.png` });
  }

  const signIn = async (username: string, viewport: { width: number; height: number }) => {
    const context = await browser.newContext({ viewport, locale: 'fr-FR', hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Identifiant').fill(username);
    await page.getByLabel('Mot de passe').fill('demo');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByTestId('current-user').waitFor();
    await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    return page;
  };

  const cases = (await (await fetch(`${server.url}/api/cases`, { headers: { cookie: await cookieOf('nurse') } })).json()) as {
    cases: { id: string; stage: string }[];
  };
  const pick = (stage: string) => cases.cases.find((c) => c.stage === stage)?.id;

  if (!only || only === 'nurse') {
    const nurse = await signIn('nurse', { width: 1024, height: 768 });
    await nurse.locator('[data-testid^="case-row-"]').first().waitFor();
    await nurse.screenshot({ path: `${OUT}today-1024x768.png` });
    const admitted = pick('admitted') ?? pick('scheduled') ?? cases.cases[0]!.id;
    await nurse.goto(`${server.url}/cases/${admitted}`);
    await nurse.getByTestId('case-stage').waitFor();
    await nurse.screenshot({ path: `${OUT}nurse-case-1024x768.png` });
  }
  if (!only || only === 'radiologist') {
    const radiologist = await signIn('radiologist', { width: 1024, height: 768 });
    const inProcedure = pick('freezing') ?? pick('probe_placement') ?? pick('thawing') ?? cases.cases[0]!.id;
    await radiologist.goto(`${server.url}/cases/${inProcedure}`);
    await radiologist.getByTestId('case-stage').waitFor();
    await radiologist.screenshot({ path: `${OUT}radiologist-case-1024x768.png` });
  }
  if (!only || only === 'admin') {
    const admin = await signIn('admin', { width: 1024, height: 768 });
    await admin.goto(`${server.url}/admin`);
    await admin.getByTestId('staff-accounts').locator('table').waitFor();
    await admin.getByTestId('display-tokens').locator('table').waitFor();
    await admin.screenshot({ path: `${OUT}admin-1024x768.png` });
  }
} finally {
  await browser.close();
  await server.close();
  removeDir(server.dir);
}

async function cookieOf(username: string): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  return res.headers.get('set-cookie')!.split(';')[0]!;
}
