import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCaseCommand } from '../../server/cases/execute';
import type { Actor } from '../../shared';
import { Api } from '../support/api';
import { waitConnected } from '../support/e2e';
import { observedCase, openCaseOffline, recordPadss, recordVitals, wifiBack } from '../support/offline';
import { openWalk, type Walk } from '../support/walk';

// While the nurse's tablet was cut off, the radiologist recorded vitals on the same patient. Her
// waiting step no longer fits the case: the tablet says what was not recorded and why, with what
// changed meanwhile, and she chooses. Nothing is dropped without her.
describe('a colleague acted while the tablet was offline', () => {
  let walk: Walk;
  let radiologist: Actor;
  // Two patients, one tablet: the nurse chooses "send again" on one and "give up" on the other.
  const cases: { caseId: string; nurse: Page }[] = [];
  let tappedFrom = 0;
  let restartedAt = 0;

  beforeAll(async () => {
    walk = await openWalk({}, { restartable: true });
    radiologist = { id: walk.staff.radiologist.id, name: walk.staff.radiologist.displayName, role: 'radiologist' };
    const first = await openCaseOffline(walk, await observedCase(walk));
    const secondCase = await observedCase(walk);
    const second = await first.context().newPage();
    await second.goto(`${walk.server.url}/cases/${secondCase}`);
    await waitConnected(second);
    cases.push({ caseId: new URL(first.url()).pathname.split('/').pop()!, nurse: first }, { caseId: secondCase, nurse: second });

    await walk.stop();
    tappedFrom = Date.now();
    // Both patients are tabs of one window: she works in the one in front (Chromium holds back the
    // animation frames of a tab behind, and every tap would wait seconds for the page to look settled).
    for (const { nurse } of cases) {
      await nurse.bringToFront();
      await nurse.getByTestId('connection-lost').waitFor({ timeout: 5000 });
      await recordVitals(nurse);
      await nurse.getByTestId('pending-record_vitals').waitFor();
    }
    // On the first patient she goes on to the PADSS, tapped on what her vitals made of the case.
    await cases[0]!.nurse.bringToFront();
    await cases[0]!.nurse.locator('[data-testid="next-step"][data-command="record_padss"]').waitFor();
    await recordPadss(cases[0]!.nurse);
    await cases[0]!.nurse.getByTestId('pending-record_padss').waitFor();
    restartedAt = Date.now();
    await walk.restart(async (app) => {
      for (const { caseId } of cases) await colleagueVitals(app, caseId);
    });
    for (const { nurse } of cases) {
      await nurse.bringToFront();
      await wifiBack(nurse);
      await waitConnected(nurse, 15_000);
      await nurse.locator('[data-testid="pending-record_vitals"][data-state="refused"]').waitFor({ timeout: 5000 });
    }
  });
  afterAll(() => walk?.close());

  /** The radiologist's vitals, dated a minute ago (before the nurse's), recorded before any tablet can reach the restarted server. */
  const colleagueVitals = async (app: FastifyInstance, caseId: string) => {
    const state = app.database.store.loadCase(caseId)!;
    const now = new Date();
    const result = await app.groupCommit.run((tx) =>
      executeCaseCommand(
        { tx, settings: app.settings, labelMode: app.config.boardLabel, actor: radiologist, now },
        caseId,
        { type: 'record_vitals', heartRate: 80, systolic: 130, diastolic: 80, spo2: 97, expectedVersion: state.version, occurredAt: new Date(now.getTime() - 60_000).toISOString() },
      ),
    );
    if (result.status !== 200) throw new Error(`colleague's vitals refused: ${JSON.stringify(result.body)}`);
  };

  const vitalsOnServer = async (caseId: string) =>
    ((await (await Api.login(walk.server, 'nurse')).get(`/api/cases/${caseId}`)).body.timeline as { type: string; actor: Actor; occurredAt: string }[]).filter(
      (e) => e.type === 'VitalsRecorded',
    );

  it('says what was not recorded and what changed meanwhile; "send again" records it, dated when she tapped', async () => {
    const { caseId, nurse } = cases[0]!;
    await nurse.bringToFront();
    const text = await nurse.locator('[data-testid="pending-record_vitals"][data-state="refused"]').textContent();
    expect(text).toMatch(/Relever les constantes, notée à \d\d:\d\d, n’a pas été enregistrée/);
    await expect.poll(() => nurse.getByTestId('pending-meanwhile').textContent()).toContain(radiologist.name);
    expect(await nurse.getByTestId('pending-record_padss').textContent()).toContain('attend votre choix');
    expect(await nurse.getByTestId('pending-count').textContent()).toBe('2 actions en attente');
    expect(await vitalsOnServer(caseId)).toHaveLength(1);

    await nurse.getByTestId('pending-resend').click();
    await nurse.getByTestId('pending-steps').waitFor({ state: 'detached', timeout: 5000 });
    const vitals = await vitalsOnServer(caseId);
    const timeline = (await (await Api.login(walk.server, 'nurse')).get(`/api/cases/${caseId}`)).body.timeline as { type: string }[];
    expect(timeline.slice(-2).map((e) => e.type)).toEqual(['VitalsRecorded', 'PadssRecorded']);
    expect(vitals.map((v) => v.actor.role)).toEqual(['radiologist', 'nurse']);
    expect(Date.parse(vitals[1]!.occurredAt)).toBeGreaterThanOrEqual(tappedFrom - 1000);
    expect(Date.parse(vitals[1]!.occurredAt)).toBeLessThan(restartedAt);
  });

  it('"give up" leaves the colleague’s record alone and sends nothing', async () => {
    const { caseId, nurse } = cases[1]!;
    await nurse.bringToFront();
    await nurse.getByTestId('pending-abandon').click();
    await nurse.getByTestId('pending-steps').waitFor({ state: 'detached', timeout: 5000 });
    expect(await nurse.getByTestId('pending-count').count()).toBe(0);
    expect((await vitalsOnServer(caseId)).map((v) => v.actor.role)).toEqual(['radiologist']);
  });
});
