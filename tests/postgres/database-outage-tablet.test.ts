import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api, newCaseBody } from '../support/api';
import { launchChromium, takeConsoleErrors } from '../support/browser';
import { requireBuiltSite, signIn, submitStep, waitConnected } from '../support/e2e';
import { describePostgres } from '../support/pg';
import { freshDatabase, postgresBinDir, startCluster, type Cluster } from '../support/postgres';
import { removeDir, startServer, type TestServer } from '../support/server';
import { preparePostgres } from './app-fixtures';

// The hospital's database cluster goes away for a minute (a failover, a restart) while a nurse admits
// a patient at the bedside. The server answers 503 database_unavailable with Retry-After: the tablet
// says so in her language, in words, beside the button; nothing is recorded and the form keeps what she
// typed; once the database is back, her next tap admits the patient, once.
// A cluster of its own: the test stops it and starts it again, which the run's shared cluster must never see.
describePostgres('a tablet while the database is out of reach', () => {
  let cluster: Cluster;
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    requireBuiltSite();
    cluster = await startCluster(postgresBinDir()!);
    const url = await freshDatabase(cluster, 'outage');
    await preparePostgres(url);
    server = await startServer({ DATABASE_URL: url });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (server) removeDir(server.dir);
    cluster?.stop();
  });

  it('tells the nurse the database is out of reach and records nothing, then her tap once it is back admits the patient once', async () => {
    const coordinator = await Api.login(server, 'coordinator');
    const caseId = (await coordinator.post('/api/cases', newCaseBody())).body.case.id as string;
    const nurse = await signIn(browser, server, 'nurse');
    await nurse.goto(`${server.url}/cases/${caseId}`);
    await waitConnected(nurse);
    const admit = nurse.locator('[data-testid="next-step"][data-command="admit"]');
    await admit.getByLabel('Téléphone du patient (facultatif)').fill('06 12 34 56 78');

    cluster.halt();
    await submitStep(nurse, 'admit');
    const error = admit.getByTestId('action-error');
    await error.waitFor();
    expect(await error.textContent()).toBe('La base de données est injoignable pour l’instant : réessayez dans un instant.');
    // Not a refusal of the step: the case has not moved, nothing waits as if the network were down,
    // and the form still holds what she typed.
    expect(await nurse.getByTestId('case-stage').getAttribute('data-stage')).toBe('scheduled');
    expect(await nurse.getByTestId('pending-count').count()).toBe(0);
    expect(await admit.getByLabel('Téléphone du patient (facultatif)').inputValue()).toBe('06 12 34 56 78');

    cluster.resume();
    await submitStep(nurse, 'admit');
    await nurse.locator('[data-testid="case-stage"][data-stage="admitted"]').waitFor({ timeout: 15_000 });
    const { body } = await coordinator.get(`/api/cases/${caseId}`);
    expect(body.timeline.filter((e: { type: string }) => e.type === 'PatientAdmitted')).toHaveLength(1);
    expect(body.case.patientPhone).toBe('06 12 34 56 78');
    // The 503 answers are the browser's own network log lines, not errors of the page.
    expect(takeConsoleErrors()).toEqual([]);
    await nurse.context().close();
  }, 90_000);
});
