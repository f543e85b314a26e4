import type { Browser, Page } from 'playwright-core';
import { Api } from './api';
import { displayToken, openBoard, TABLET, waitConnected } from './e2e';
import type { TestServer } from './server';

const DEMO_PASSWORD = 'demo';

async function demoSignIn(browser: Browser, server: TestServer, username: string, lang: 'fr' | 'en', bypassCSP: boolean) {
  const context = await browser.newContext({ viewport: TABLET, locale: lang === 'fr' ? 'fr-FR' : 'en-GB', hasTouch: true, bypassCSP });
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.locator('input[name=username]').fill(username);
  await page.locator('input[name=password]').fill(DEMO_PASSWORD);
  await page.locator('form button[type=submit]').click();
  await page.getByTestId('current-user').waitFor();
  // An admin never sees patients, so has no live feed to wait for.
  if (username !== 'admin') await waitConnected(page);
  return page;
}

/**
 * Every screen of the demo day, one after the other, each in the state a user sees it: the sign-in
 * page, today's list, a nurse's case at the checklist, in observation (PADSS) and at discharge, the radiologist during a freeze,
 * at the time-out and at the local anaesthetic, the
 * coordinator's scheduling form, the reports, follow-up calls and a printable discharge sheet, the admin
 * screen, the wall board. `visit` is called on each.
 */
export async function walkScreens(
  browser: Browser,
  server: TestServer,
  lang: 'fr' | 'en',
  visit: (name: string, page: Page) => Promise<void>,
  // axe-core is injected as a script tag, which the site's Content-Security-Policy rightly refuses.
  { bypassCSP = false } = {},
) {
  const api = new Api(server, (await Api.login(server, 'nurse', DEMO_PASSWORD)).cookie);
  const cases = (await api.get('/api/cases')).body.cases as { id: string; stage: string; timeOut?: unknown }[];
  const byStage = (...stages: string[]) => stages.map((s) => cases.find((c) => c.stage === s)?.id).find(Boolean)!;

  // The tablets sign in side by side (a sign-in is mostly the site loading in a fresh context); each is
  // visited only when the walk reaches it, in the state the steps before it brought.
  const openLogin = async () => {
    const page = await browser.newPage({ viewport: TABLET, locale: lang === 'fr' ? 'fr-FR' : 'en-GB', bypassCSP });
    await page.goto(`${server.url}/login`);
    await page.locator('input[name=username]').waitFor();
    return page;
  };
  const signIn = (role: string) => demoSignIn(browser, server, role, lang, bypassCSP);
  const tablets = await Promise.all([openLogin(), signIn('nurse'), signIn('radiologist'), signIn('coordinator'), signIn('admin')]);
  const [anonymous, nurse, radiologist, coordinator, admin] = tablets;
  await visit('login', anonymous);

  await nurse.locator('[data-testid^="case-row-"]').first().waitFor();
  await visit('today', nurse);
  await nurse.goto(`${server.url}/cases/${byStage('admitted', 'scheduled')}`);
  await nurse.getByTestId('next-step').waitFor();
  await visit('nurse case', nurse);
  const observed = byStage('observation');
  await nurse.goto(`${server.url}/cases/${observed}`);
  await nurse.getByTestId('next-step').waitFor();
  await visit('nurse observation', nurse);
  // With fresh vitals and the PADSS recorded, the discharge form (escort, instructions) is the next step
  // (vitals too old would be proposed first).
  await api.command(observed, { type: 'record_vitals', heartRate: 72, systolic: 125, diastolic: 78, spo2: 98 });
  await api.command(observed, { type: 'record_padss', vitalSigns: 2, activity: 2, nauseaVomiting: 2, pain: 2, bleeding: 2 });
  await nurse.locator('[data-testid="next-step"][data-command="discharge"]').waitFor();
  await visit('nurse discharge', nurse);

  await radiologist.goto(`${server.url}/cases/${byStage('freezing', 'probe_placement')}`);
  await radiologist.getByTestId('procedure-panel').waitFor();
  await visit('radiologist case', radiologist);
  // A patient just in the room, before the time-out: the one a first walk took in, or the patient
  // waiting ready, taken into a free room (cleaned first if need be).
  let justIn = cases.find((c) => c.stage === 'in_room' && !c.timeOut)?.id;
  if (!justIn) {
    justIn = cases.find((c) => c.stage === 'ready')!.id;
    const rooms = (await api.get('/api/rooms')).body.rooms as { id: string; status: string }[];
    const room = rooms.find((r) => r.status === 'free') ?? rooms.find((r) => r.status === 'cleaning')!;
    if (room.status === 'cleaning') await api.post(`/api/rooms/${room.id}/commands`, { type: 'room_ready' });
    await api.command(justIn, { type: 'enter_room', roomId: room.id });
  }
  await radiologist.goto(`${server.url}/cases/${justIn}`);
  await radiologist.getByTestId('form-confirm_time_out').waitFor();
  await visit('radiologist time-out', radiologist);
  await radiologist.getByTestId('other-actions').getByTestId('action-give_local_anesthesia').click();
  await radiologist.getByTestId('form-give_local_anesthesia').locator('input[id$="-volumeMl"]').fill('5');
  await radiologist.getByTestId('dose-total').waitFor();
  await visit('radiologist anaesthesia', radiologist);

  await coordinator.getByTestId('open-schedule').click();
  await coordinator.getByTestId('schedule-form').waitFor();
  await visit('coordinator schedule', coordinator);
  await coordinator.goto(`${server.url}/reports`);
  await coordinator.getByTestId('durations-table').waitFor();
  await visit('reports', coordinator);
  await coordinator.goto(`${server.url}/reports/period`);
  await coordinator.getByTestId('range-buckets-table').waitFor();
  await visit('reports period', coordinator);
  await coordinator.goto(`${server.url}/follow-up`);
  await coordinator.getByTestId('due-today').waitFor();
  await visit('follow-up', coordinator);
  await coordinator.goto(`${server.url}/cases/${byStage('discharged')}/sheet`);
  await coordinator.getByTestId('discharge-sheet').waitFor();
  await visit('discharge sheet', coordinator);

  await admin.goto(`${server.url}/admin`);
  await admin.getByTestId('staff-accounts').locator('table').waitFor();
  // With a link just created, so the shown-once box is walked too.
  await admin.getByTestId('new-token-form').locator('input').fill('Salle de surveillance');
  await admin.getByTestId('create-token').click();
  await admin.getByTestId('new-board-link').waitFor();
  await visit('admin', admin);

  const board = await openBoard(browser, server, displayToken(server), lang, bypassCSP);
  await board.locator('[data-testid^="board-card-"]').first().waitFor();
  await visit('board', board);
  // Their live feeds would otherwise keep the server and the browser busy until the file's end.
  await Promise.all([...tablets, board].map((page) => page.context().close()));
}
