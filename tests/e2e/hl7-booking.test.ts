import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST } from '../support/api';
import { signIn, submitStep } from '../support/e2e';
import { MllpClient, adt, siu, wallClock } from '../support/hl7';
import { openWalk, type Walk } from '../support/walk';

// A booking from the hospital's scheduling system, as the unit sees it: booked by "Interface HL7" with
// its targets to complete, "Déclarer prêt" refused until the radiologist sets them in the case's
// "Cibles prévues" form, and a corrected name from the hospital record arriving live, with its history in the timeline.
describe('a case booked over HL7 without its targets', () => {
  let walk: Walk;
  let client: MllpClient;
  let nurse: Page;
  let caseId: string;
  const mrn = '00889911';
  const start = wallClock(new Date(Date.now() + 2 * 3_600_000));

  beforeAll(async () => {
    walk = await openWalk({ HL7_MLLP_PORT: '0' });
    client = await MllpClient.connect(walk.server.app.mllp!.address()!.port);
    const ack = await client.send(siu({ trigger: 'S12', controlId: 'E2E-0001', placer: 'DEM-501', filler: 'RDV-501', mrn, family: 'MOREAU', given: 'Anaïs', birth: '19700615', start: start.ts }));
    expect(ack.code).toBe('AA');
    const nurseApi = await Api.login(walk.server, 'nurse');
    caseId = ((await nurseApi.get(`/api/cases?date=${start.day}`)).body.cases as { id: string; patient: { mrn: string } }[]).find((c) => c.patient.mrn === mrn)!.id;
    await nurseApi.command(caseId, { type: 'admit' });
    await nurseApi.command(caseId, { type: 'record_checklist', ...COMPLETE_CHECKLIST });
    nurse = await signIn(walk.browser, walk.server, 'nurse');
    await nurse.goto(`${walk.server.url}/cases/${caseId}`);
  });
  afterAll(async () => {
    client?.close();
    await walk?.close();
  });

  it('says the targets are missing before and after "Déclarer prêt", and takes it once the radiologist set them', async () => {
    const booked = await nurse.getByTestId('timeline').locator('[data-event="CaseScheduled"]').textContent();
    expect(booked).toContain('Interface HL7');
    expect(booked).not.toContain('Coordinat');
    const blockers = nurse.getByTestId('ready-blockers');
    await blockers.waitFor();
    expect(await blockers.textContent()).toContain('Les cibles prévues ne sont pas renseignées');
    await submitStep(nurse, 'mark_ready');
    const refusal = nurse.getByTestId('next-step').getByTestId('action-error');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('Les cibles prévues ne sont pas renseignées');

    // The radiologist completes the targets: the case page proposes it as their next step, and the
    // booking's time and room are not theirs to move.
    const radiologist = await signIn(walk.browser, walk.server, 'radiologist');
    await radiologist.getByTestId('day-filter').fill(start.day);
    const row = radiologist.getByTestId(`case-row-${caseId}`);
    await row.getByTestId('targets-missing').waitFor({ timeout: 5000 });
    expect(await row.getByTestId('targets-missing').textContent()).toBe('Cibles à compléter');
    await radiologist.goto(`${walk.server.url}/cases/${caseId}`);
    const step = radiologist.getByTestId('next-step');
    await step.waitFor();
    expect(await step.getAttribute('data-command')).toBe('plan_targets');
    expect(await radiologist.getByTestId('action-reschedule_case').count()).toBe(0);
    const form = step.getByTestId('form-plan_targets');
    await form.getByTestId('target-nerve-0').selectOption('genicular');
    await form.getByTestId('target-side-0').selectOption('right');
    await form.getByTestId('submit-plan_targets').click();
    const planned = radiologist.getByTestId('timeline').locator('[data-event="TargetsPlanned"]');
    await planned.waitFor({ timeout: 5000 });
    expect(await planned.textContent()).toContain('Complétées : Nerfs géniculés (genou) — Droite');
    await radiologist.locator('[data-testid="next-step"][data-command="plan_targets"]').waitFor({ state: 'detached', timeout: 5000 });
    await radiologist.goto(`${walk.server.url}/`);
    await radiologist.getByTestId('day-filter').fill(start.day);
    await row.waitFor({ timeout: 5000 });
    expect(await row.getByTestId('targets-missing').count()).toBe(0);
    expect(await row.textContent()).toContain('Nerfs géniculés (genou) — Droite');
    await radiologist.context().close();

    await nurse.getByTestId('timeline').locator('[data-event="TargetsPlanned"]').waitFor({ timeout: 5000 });
    await blockers.waitFor({ state: 'detached', timeout: 5000 });
    await submitStep(nurse, 'mark_ready');
    await nurse.locator('[data-testid="case-stage"][data-stage="ready"]').waitFor({ timeout: 5000 });
  });

  it('shows the name the hospital record corrected, live, with the name before it in the timeline', async () => {
    const ack = await client.send(adt({ trigger: 'A08', controlId: 'E2E-0002', mrn, family: 'MOREAU-PETIT', given: 'Anaïs', birth: '19700615' }));
    expect(ack.code).toBe('AA');
    await nurse.getByTestId('patient-name').filter({ hasText: 'MOREAU-PETIT Anaïs' }).waitFor({ timeout: 5000 });
    const entry = nurse.getByTestId('timeline').locator('[data-event="PatientDemographicsUpdated"]');
    await entry.waitFor({ timeout: 5000 });
    const text = await entry.textContent();
    expect(text).toContain('Identité mise à jour par le dossier hospitalier');
    expect(text).toContain('MOREAU Anaïs, 1970-06-15 → MOREAU-PETIT Anaïs, 1970-06-15');
  });
});
