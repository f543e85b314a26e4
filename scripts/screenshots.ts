// Screenshots of each screen from a demo-day server, for the README:
//   npx tsx scripts/screenshots.ts [board|nurse|radiologist|admin]   (build the site first: cd web && npx vite build)
// The wall board is shot at 1920×1080 on a busy day: 6 rooms (ROOMS overrides) and the demo morning
// topped up to about 25 patients; the tablet screens at 1024×768.
import { createDisplayToken } from '../server/auth/display-tokens';
import { launchChromium } from '../tests/support/browser';
import { COMPLETE_CHECKLIST, bookCaseInThePast } from '../tests/support/api';
import { SIGN_OUT, TIME_OUT } from '../tests/support/day';
import { removeDir, startServer } from '../tests/support/server';

const OUT = new URL('../docs/screenshots/', import.meta.url).pathname;
const only = process.argv[2];
const TABLET = { width: 1024, height: 768 };

const server = await startServer({ CRYODAY_DEMO: '1', ROOMS: process.env.ROOMS ?? 'Salle 1,Salle 2,Salle 3,Salle 4,Salle 5,Salle 6' });
const browser = await launchChromium();
try {
  const token = createDisplayToken(server.app.database.db, 'Screenshots', new Date()).token;
  const cookies = { nurse: await cookieOf('nurse'), radiologist: await cookieOf('radiologist'), coordinator: await cookieOf('coordinator') };
  await busyDay(cookies);

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
    if (username !== 'admin') await page.locator('[data-testid="live-status"][data-state="connected"]').waitFor();
    return page;
  };

  const cases = (await (await fetch(`${server.url}/api/cases`, { headers: { cookie: cookies.nurse } })).json()) as {
    cases: { id: string; stage: string; patient: { lastName: string } }[];
  };
  const pick = (stage: string, lastName?: string) => cases.cases.find((c) => c.stage === stage && (!lastName || c.patient.lastName === lastName))?.id;

  if (!only || only === 'nurse') {
    const nurse = await signIn('nurse', TABLET);
    await nurse.locator('[data-testid^="case-row-"]').first().waitFor();
    await nurse.screenshot({ path: `${OUT}today-1024x768.png` });
    // The demo's admitted patient with abnormal vitals and a half-done checklist.
    const admitted = pick('admitted', 'Garnier') ?? pick('admitted') ?? pick('scheduled') ?? cases.cases[0]!.id;
    await nurse.goto(`${server.url}/cases/${admitted}`);
    await nurse.getByTestId('case-stage').waitFor();
    await nurse.screenshot({ path: `${OUT}nurse-case-1024x768.png` });
    const observed = pick('observation');
    if (observed) {
      await nurse.goto(`${server.url}/cases/${observed}`);
      await nurse.getByTestId('next-step').waitFor();
      await nurse.screenshot({ path: `${OUT}nurse-observation-1024x768.png` });
    }
  }
  if (!only || only === 'radiologist') {
    const radiologist = await signIn('radiologist', TABLET);
    const inProcedure = pick('freezing') ?? pick('probe_placement') ?? pick('thawing') ?? cases.cases[0]!.id;
    await radiologist.goto(`${server.url}/cases/${inProcedure}`);
    await radiologist.getByTestId('case-stage').waitFor();
    await radiologist.screenshot({ path: `${OUT}radiologist-case-1024x768.png` });
    // Just in the room: the time-out read aloud before the first puncture.
    const justIn = pick('in_room', 'Marchand') ?? pick('in_room');
    if (justIn) {
      await radiologist.goto(`${server.url}/cases/${justIn}`);
      await radiologist.getByTestId('form-confirm_time_out').waitFor();
      await radiologist.screenshot({ path: `${OUT}radiologist-time-out-1024x768.png` });
    }
  }
  if (!only || only === 'admin') {
    const admin = await signIn('admin', TABLET);
    await admin.waitForURL(/\/admin$/);
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

type Who = 'nurse' | 'radiologist' | 'coordinator';

/** Tops the demo morning up to a busy day: every room in use, patients waiting, observed and done. */
async function busyDay(cookies: Record<Who, string>) {
  const call = async (who: Who, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { cookie: cookies[who], ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = (await res.json()) as { case?: { id: string; version: number } };
    if (!res.ok) throw new Error(`${path} ${JSON.stringify(body)} → ${res.status} ${JSON.stringify(answer)}`);
    return answer;
  };
  const rooms = ((await call('nurse', 'GET', '/api/rooms')) as unknown as { rooms: { id: string; status: string }[] }).rooms;
  if (rooms.length < 6) return;
  let n = 0;
  const coordinator = (await call('coordinator', 'GET', '/api/auth/me')) as unknown as { id: string; name: string };
  const bodyOf = (minutesFromNow: number, firstName: string, lastName: string, roomId: string) => {
    n += 1;
    return {
      patient: { firstName, lastName, mrn: `MRN-2${String(n).padStart(5, '0')}`, birthDate: '1960-01-01', sex: n % 2 ? 'female' : 'male' },
      scheduledAt: new Date(Date.now() + minutesFromNow * 60_000).toISOString(),
      plannedRoomId: roomId,
      plannedTargets: [{ nerve: 'genicular', side: n % 2 ? 'left' : 'right' }],
    };
  };
  const schedule = async (minutesFromNow: number, firstName: string, lastName: string, roomId: string) =>
    (await call('coordinator', 'POST', '/api/cases', bodyOf(minutesFromNow, firstName, lastName, roomId))).case!.id;
  const command = async (who: Who, id: string, command: Record<string, unknown>) => {
    const current = (await call(who, 'GET', `/api/cases/${id}`)).case!;
    await call(who, 'POST', `/api/cases/${id}/commands`, { expectedVersion: current.version, ...command });
  };
  const targetsOf = async (id: string) => ((await call('nurse', 'GET', `/api/cases/${id}`)).case as unknown as { plannedTargets: object[] }).plannedTargets;
  const intoRoom = async (id: string, roomId: string, at: () => string | undefined = () => undefined) => {
    for (const step of [{ type: 'admit' }, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, { type: 'mark_ready' }, { type: 'enter_room', roomId }, { type: 'confirm_time_out', ...TIME_OUT, targets: await targetsOf(id) }])
      await command('nurse', id, { ...step, occurredAt: at() });
  };
  // Booked half an hour ago and played a minute a step, so the freeze lasts long enough to count.
  const toObservation = async (minutesFromNow: number, firstName: string, lastName: string, roomId: string, heartRate: number) => {
    const body = bodyOf(minutesFromNow, firstName, lastName, roomId);
    const id = await bookCaseInThePast(server, { id: coordinator.id, displayName: coordinator.name }, 30, body as never);
    let minutes = 20;
    const at = () => new Date(Date.now() - minutes-- * 60_000).toISOString();
    await intoRoom(id, roomId, at);
    for (const step of [
      { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 5 },
      { type: 'position_probe', target: body.plannedTargets[0], guidance: 'ultrasound', probe: { type: 'Cryosonde 1,7 mm', gauge: 14 } },
      { type: 'start_freeze', gas: 'n2o', plannedSeconds: 180 },
      { type: 'end_freeze', lowestTempC: -80, thawMode: 'passive' },
      { type: 'end_thaw' },
      { type: 'remove_probe' },
    ])
      await command('radiologist', id, { ...step, occurredAt: at() });
    for (const step of [{ type: 'apply_dressing' }, { type: 'confirm_sign_out', ...SIGN_OUT }, { type: 'start_observation' }, { type: 'record_vitals', heartRate, systolic: 128, diastolic: 80, spo2: 97 }])
      await command('nurse', id, { ...step, occurredAt: at() });
    await call('nurse', 'POST', `/api/rooms/${roomId}/commands`, { type: 'room_ready' });
  };

  // Two more patients observed (one with a racing heart), through room 6 before its own patient.
  await toObservation(-100, 'Agnès', 'Vidal', 'room-6', 76);
  await toObservation(-80, 'Rémi', 'Colin', 'room-6', 126);
  // Rooms 4 to 6 in use: just in, under local anaesthesia, probe going in.
  await intoRoom(await schedule(-20, 'Odile', 'Marchand', 'room-4'), 'room-4');
  const five = await schedule(-15, 'Yves', 'Perrin', 'room-5');
  await intoRoom(five, 'room-5');
  await command('radiologist', five, { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 4 });
  const six = await schedule(-10, 'Lucie', 'Faure', 'room-6');
  await intoRoom(six, 'room-6');
  await command('radiologist', six, { type: 'give_local_anesthesia', agent: 'lidocaine', concentrationPercent: 1, volumeMl: 4 });
  await command('radiologist', six, { type: 'position_probe', target: (await targetsOf(six))[0], guidance: 'ultrasound', probe: { type: 'Cryosonde 1,7 mm', gauge: 14 } });
  // Waiting: admitted this morning, and the afternoon list.
  for (const [at, first, last, room] of [
    [15, 'Paul', 'Henry', 'room-4'],
    [20, 'Aline', 'Robin', 'room-5'],
  ] as const)
    await command('nurse', await schedule(at, first, last, room), { type: 'admit' });
  for (const [at, first, last, room] of [
    [45, 'Denis', 'Gauthier', 'room-6'],
    [75, 'Eva', 'Morel', 'room-4'],
    [105, 'Gilles', 'André', 'room-5'],
    [120, 'Marie', 'Lambert', 'room-6'],
    [150, 'Thomas', 'Bonnet', 'room-1'],
    [180, 'Julie', 'François', 'room-2'],
  ] as const)
    await schedule(at, first, last, room);
  await command('nurse', await schedule(-40, 'Hervé', 'Dupuis', 'room-5'), { type: 'cancel', reason: 'no_show' });
}
