import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api, newCaseBody } from '../support/api';
import { launchChromium, takeConsoleErrors } from '../support/browser';
import { requireBuiltSite, signIn, submitStep, waitConnected } from '../support/e2e';
import { describePostgres } from '../support/pg';
import type { Cluster } from '../support/postgres';
import type { TestServer } from '../support/server';
import { serverOnOwnCluster } from './app-fixtures';

// The hospital's database cluster goes away for a minute (a failover, a restart) while a nurse admits
// a patient at the bedside. The server answers 503 database_unavailable: it could record nothing. For
// the nurse that is a Wi-Fi drop: the step waits on the tablet with the time she tapped it, and goes by
// itself, once, when the database is back.
describePostgres('a tablet while the database is out of reach', () => {
  let cluster: Cluster;
  let server: TestServer;
  let closeServer: () => Promise<void>;
  let browser: Browser;

  beforeAll(async () => {
    requireBuiltSite();
    ({ cluster, server, close: closeServer } = await serverOnOwnCluster('outage'));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await closeServer?.();
  });

  it('keeps a step tapped during the outage waiting on the tablet, then sends it by itself, once, when the database is back', async () => {
    const coordinator = await Api.login(server, 'coordinator');
    const caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id as string;
    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}`);
    await waitConnected(nurse);
    const admit = nurse.locator('[data-testid="next-step"][data-command="admit"]');
    await admit.getByLabel('Téléphone du patient (facultatif)').fill('06 12 34 56 78');

    cluster.halt();
    const tappedAt = Date.now();
    await submitStep(nurse, 'admit');
    const badge = nurse.getByTestId('pending-count');
    await expect.poll(() => badge.textContent()).toBe('1 action en attente');
    expect(await nurse.getByTestId('pending-admit').textContent()).toContain('en attente d’envoi');
    // Waiting, not refused: no refusal beside the button.
    expect(await nurse.getByTestId('action-error').count()).toBe(0);

    cluster.resume();
    const resumedAt = Date.now();
    // No tap and no reload: the tablet tries again on its own (every 15 s at most while a step waits).
    await badge.waitFor({ state: 'detached', timeout: 30_000 });
    await nurse.locator('[data-testid="case-stage"][data-stage="admitted"]').waitFor();
    const { body } = await coordinator.get(`/api/cases/${caseId}`);
    const admitted = body.timeline.filter((e: { type: string }) => e.type === 'PatientAdmitted');
    expect(admitted).toHaveLength(1);
    // Recorded as it happened at the bedside, not when the database came back.
    expect(Date.parse(admitted[0].occurredAt)).toBeGreaterThanOrEqual(tappedAt - 1000);
    expect(Date.parse(admitted[0].occurredAt)).toBeLessThan(resumedAt);
    expect(body.case.patientPhone).toBe('06 12 34 56 78');
    // The 503 answers are the browser's own network log lines, not errors of the page.
    expect(takeConsoleErrors()).toEqual([]);
    await nurse.context().close();
  }, 90_000);
});
