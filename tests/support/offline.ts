import type { Page } from 'playwright-core';
import { Api } from './api';
import { minutesAgo, wholeDay } from './day';
import { scheduleInThePast, signIn, waitConnected } from './e2e';
import type { Walk } from './walk';

// What the offline walks share: a patient in observation, a tablet whose page the service worker
// controls, and the two bedside forms a nurse fills in there.

/** A case whose patient has just started observation: the next steps are vitals, then the PADSS. */
export async function observedCase(walk: Walk) {
  const users = { nurse: await Api.login(walk.server, 'nurse'), radiologist: await Api.login(walk.server, 'radiologist') };
  const caseId = await scheduleInThePast(walk.server, walk.coordinator, 180);
  const room = await users.nurse.freeRoom();
  const steps = wholeDay(room, minutesAgo(Date.now())).filter(([, c]) => !['record_vitals', 'record_padss', 'discharge'].includes(c.type));
  for (const [who, command] of steps) await users[who].command(caseId, command);
  return caseId;
}

/** The tablet on the case, with the service worker in control of the page (so a reload works offline). */
export async function openCaseOffline(walk: Walk, caseId: string) {
  const nurse = await signIn(walk.browser, walk.server, 'nurse', { serviceWorkers: 'allow' });
  await nurse.goto(`${walk.server.url}/cases/${caseId}`);
  await waitConnected(nurse);
  // The worker claims the pages open when it activates; a page whose load was under way at that moment
  // can miss the claim and stay uncontrolled until it loads again, as a nurse's tablet would at its next
  // reload. So: wait for the claim a moment, and reload the page if it did not come.
  const claimed = () =>
    nurse.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (navigator.serviceWorker.controller) return true;
      return new Promise<boolean>((resolve) => {
        navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true });
        setTimeout(() => resolve(!!navigator.serviceWorker.controller), 3000);
      });
    });
  if (!(await claimed())) {
    console.log('the service worker missed the case page: reloaded it');
    await nurse.reload();
    await waitConnected(nurse);
    if (!(await claimed())) throw new Error('the service worker does not control the case page, even after a reload');
  }
  return nurse;
}

export async function recordVitals(page: Page) {
  const form = page.getByTestId('next-step').getByTestId('form-record_vitals');
  await form.getByLabel('Fréquence cardiaque (bpm)').fill('74');
  await form.getByLabel('PA systolique (mmHg)').fill('122');
  await form.getByLabel('PA diastolique (mmHg)').fill('78');
  await form.getByLabel('SpO2 (%)').fill('98');
  await form.getByTestId('submit-record_vitals').click();
}

export async function recordPadss(page: Page) {
  const form = page.getByTestId('next-step').getByTestId('form-record_padss');
  for (const item of ['vitalSigns', 'activity', 'nauseaVomiting', 'pain', 'bleeding']) await form.locator(`input[name="padss-${item}"][value="2"]`).check();
  await form.getByTestId('submit-record_padss').click();
}

/** The Wi-Fi comes back: the browser says so (the page does not wait for its reconnection backoff). */
export const wifiBack = (page: Page) => page.evaluate(() => dispatchEvent(new Event('online')));

export const nextStep = (page: Page) => page.getByTestId('next-step').getAttribute('data-command');
