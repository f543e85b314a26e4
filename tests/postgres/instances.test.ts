import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Api, COMPLETE_CHECKLIST, LiveClient, newCaseBody } from '../support/api';
import { LIDOCAINE, timeOutOf } from '../support/day';
import { bundleEntries, type Bundle } from '../support/bundle';
import type { ServerProcess } from '../support/process';
import { describePostgres, newDatabase } from '../support/pg';
import { asServer, runToEnd } from '../support/process';
import { preparePostgres, signIn, sqliteOpened, startInstance, through } from './app-fixtures';

type Instance = Awaited<ReturnType<typeof startInstance>>;

const vitals = (n: number) => ({ type: 'record_vitals', heartRate: 60 + (n % 50), systolic: 120, diastolic: 80, spo2: 97 });

/** A board on `instance`, once it holds its snapshot. */
async function boardOn(instance: ServerProcess, token: string) {
  const board = LiveClient.board(asServer(instance), token);
  await board.waitFor((m) => m.some((x) => x.type === 'snapshot'));
  return board;
}

/** The seqs of the board's events: each once, none missing after its snapshot. */
function expectEveryEventOnce(board: LiveClient, last: number) {
  const from = board.messages.find((m) => m.type === 'snapshot').seq as number;
  const seqs = board.events().map((e) => e.seq as number);
  expect(seqs).toEqual(Array.from({ length: last - from }, (_, i) => from + 1 + i));
}

describePostgres('two app instances on one PostgreSQL database', () => {
  let url: string;
  let bundle: Bundle;
  let a: Instance;
  let b: Instance;
  let boardToken: string;
  let admin: pg.Client;
  const lastSeq = async () => Number((await admin.query('select coalesce(max(seq), 0) as seq from events')).rows[0].seq);

  beforeAll(async () => {
    url = await newDatabase('instances');
    [{ boardToken }, bundle] = await Promise.all([preparePostgres(url), bundleEntries(['server/main.ts', 'server/cli/users.ts'])]);
    // Started together: the migrations run once, under their lock, whichever gets there first.
    [a, b] = await Promise.all([startInstance(bundle, url), startInstance(bundle, url)]);
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  }, 60_000);

  afterAll(async () => {
    a?.child.kill('SIGKILL');
    b?.child.kill('SIGKILL');
    await admin?.end();
    bundle?.remove();
  });

  it('opens no SQLite file and answers its health from PostgreSQL', async () => {
    const health = await (await fetch(`${b.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', seq: await lastSeq() });
    expect(sqliteOpened(a) || sqliteOpened(b)).toBe(false);
  });

  it('holds a session opened on A on B, and ends it everywhere when B signs it out', async () => {
    const onA = await Api.login(asServer(a), 'nurse');
    const onB = through(onA, b);
    expect((await onB.get('/api/auth/me')).body).toMatchObject({ name: 'nurse', role: 'nurse' });
    // A staff feed on A, checked at every heartbeat against the shared sessions.
    const feed = LiveClient.staff(asServer(a), onA);
    await feed.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    const signedOut = await fetch(`${b.url}/api/auth/logout`, { method: 'POST', headers: { cookie: onA.cookie } });
    expect(signedOut.status).toBe(204);
    expect((await onA.get('/api/auth/me')).status).toBe(401);
    expect((await feed.closed).code).toBe(4401);
  });

  it('administers accounts and wall screens through either instance, and the other instance closes what was revoked', async () => {
    const adminA = await Api.login(asServer(a), 'admin');
    const adminB = through(adminA, b);
    const created = await adminA.post('/api/admin/staff', { username: 'camille', displayName: 'Camille Petit', role: 'nurse' });
    expect(created.status).toBe(201);
    // Same name on the other instance: the check reads what A committed.
    const twin = await adminB.post('/api/admin/staff', { username: 'camille2', displayName: 'camille petit', role: 'nurse' });
    expect(twin.status).toBe(422);
    // The one-time password works on B, and must be changed there first.
    const signedIn = await signIn(b, 'camille', created.body.oneTimePassword);
    expect(signedIn.status).toBe(200);
    const camille = new Api(asServer(b), signedIn.headers.get('set-cookie')!.split(';')[0]!);
    expect((await camille.get('/api/cases')).status).toBe(403);
    const changed = await camille.post('/api/auth/password', { currentPassword: created.body.oneTimePassword, newPassword: 'glacier mauve tabouret 47' });
    expect(changed.status).toBe(200);
    const onA = through(camille, a);
    expect((await onA.get('/api/cases')).status).toBe(200);
    const feed = LiveClient.staff(asServer(a), onA);
    await feed.waitFor((m) => m.some((x) => x.type === 'snapshot'));
    // Disabled through B: A's socket closes at its next heartbeat, its requests at once.
    expect((await adminB.post(`/api/admin/staff/${created.body.id}/disable`)).status).toBe(200);
    expect((await onA.get('/api/auth/me')).status).toBe(401);
    expect((await feed.closed).code).toBe(4401);

    const token = await adminA.post('/api/admin/display-tokens', { name: 'Mur de l’accueil' });
    expect(token.status).toBe(201);
    const board = await boardOn(b, token.body.token);
    expect((await adminA.post(`/api/admin/display-tokens/${token.body.id}/revoke`)).body.revokedAt).not.toBeNull();
    expect((await board.closed).code).toBe(4401);
    expect((await adminB.get('/api/admin/display-tokens')).body.tokens.find((t: { id: string }) => t.id === token.body.id).revokedAt).not.toBeNull();
    const audit = (await adminB.get('/api/admin/audit')).body.entries.map((e: { action: string; targetUsername: string }) => `${e.action} ${e.targetUsername}`);
    expect(audit.slice(0, 3)).toEqual(['disabled camille', 'password_changed camille', 'created camille']);
  });

  it("saves the unit's identity and machines through one instance and reads them through the other", async () => {
    const admin = await Api.login(asServer(a), 'admin');
    const nurse = await Api.login(asServer(b), 'nurse');
    const identity = { name: 'Radiologie interventionnelle', address: '1 rue de la Paix', dayPhone: '01 23 45 67 89', nightPhone: '01 98 76 54 32', referringRadiologist: 'Dr Roche' };
    expect((await admin.request('PUT', '/api/admin/unit', identity)).status).toBe(200);
    expect((await nurse.get('/api/unit')).body).toMatchObject({ identity, updatedBy: 'admin' });
    const machines = [{ name: 'Scanner salle 1', modality: 'ct', roomId: 'room-1' }];
    expect((await admin.request('PUT', '/api/admin/unit/equipment', { machines })).status).toBe(200);
    expect((await nurse.get('/api/unit/equipment')).body).toMatchObject({ machines, updatedBy: 'admin' });
    expect((await through(admin, b).get('/api/admin/unit/history')).body.changes).toHaveLength(1);
  });

  it('finds a device lot recorded through one instance with the recall search of the other', async () => {
    const coordinator = await Api.login(asServer(a), 'coordinator');
    const nurse = await Api.login(asServer(b), 'nurse');
    const radiologist = await Api.login(asServer(a), 'radiologist');
    const room = await nurse.freeRoom();
    const plannedTargets = [{ nerve: 'genicular', side: 'right' }];
    const created = (await coordinator.post('/api/cases', newCaseBody({ plannedRoomId: room, plannedTargets }))).body.case;
    for (const command of [{ type: 'admit' }, { type: 'record_checklist', ...COMPLETE_CHECKLIST }, { type: 'mark_ready' }, { type: 'enter_room', roomId: room }, timeOutOf(plannedTargets)])
      await nurse.command(created.id, command);
    await through(radiologist, b).command(created.id, LIDOCAINE);
    await nurse.command(created.id, { type: 'record_device', kind: 'introducer', device: { gtin: '03456789012340', lot: 'PG-LOT-1' } });
    const found = await coordinator.get('/api/devices/cases?lot=PG-LOT-1&gtin=3456789012340');
    expect(found.status).toBe(200);
    expect(found.body.cases).toMatchObject([{ caseId: created.id, kind: 'introducer', lot: 'PG-LOT-1', patient: { lastName: created.patient.lastName } }]);
  });

  it('adds an account with npm run users on PostgreSQL, which then signs in on either instance', async () => {
    const added = await runToEnd([bundle.path('server/cli/users.ts'), 'add', 'lea', '--role', 'coordinator', '--name', 'Léa Garnier'], {
      DATABASE_URL: url,
      CRYODAY_PASSWORD: 'mistral ocre lanterne 82',
    });
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect((await signIn(a, 'lea', 'mistral ocre lanterne 82')).status).toBe(200);
    const listed = await runToEnd([bundle.path('server/cli/users.ts'), 'list'], { DATABASE_URL: url });
    expect(listed.stdout).toMatch(/^lea\tcoordinator\tactive\tLéa Garnier$/m);
  });

  it('counts failed sign-ins on both instances together, for a real username and an unknown one alike', async () => {
    for (const username of ['radiologist', 'nobody-here']) {
      const answers: number[] = [];
      for (let i = 0; i < 5; i++) answers.push((await signIn(i % 2 ? b : a, username, 'wrong password')).status);
      // The fifth failure, wherever it landed, set the lock; the next attempt on either is refused unhashed.
      expect(answers).toEqual([401, 401, 401, 401, 429]);
      for (const instance of [a, b]) {
        const refused = await signIn(instance, username);
        expect(refused.status).toBe(429);
        expect((await refused.json()).code).toBe('account_locked');
      }
    }
    // The other accounts are untouched.
    expect((await signIn(b, 'coordinator')).status).toBe(200);
  });

  it('shows a command sent to A on a board connected to B, and a board of B resumes on A', async () => {
    const coordinator = await Api.login(asServer(a), 'coordinator');
    const board = await boardOn(b, boardToken);
    const created = await coordinator.post('/api/cases', newCaseBody());
    expect(created.status).toBe(201);
    const seq = created.body.events.at(-1).seq as number;
    await board.waitFor((m) => m.some((x) => x.type === 'event' && x.seq === seq));
    const shown = board.events().find((e) => e.seq === seq);
    expect(shown.case.id).toBe(created.body.case.id);
    // The board view: no name, no MRN.
    expect(JSON.stringify(board.frames)).not.toContain(created.body.case.patient.lastName);
    board.close();

    // The board comes back on the other instance, holding up to `seq`: it is replayed what followed.
    const nurse = await Api.login(asServer(b), 'nurse');
    const after = await nurse.post(`/api/cases/${created.body.case.id}/commands`, { ...vitals(1), expectedVersion: created.body.case.version });
    expect(after.status).toBe(200);
    const back = new LiveClient(`${a.wsUrl}/api/live?token=${encodeURIComponent(boardToken)}&since=${seq}`);
    await back.waitFor((m) => m.some((x) => x.type === 'resumed'));
    expect(back.events().map((e) => e.seq)).toEqual([after.body.events[0].seq]);
    back.close();
  });

  it("reads a case's procedure report, its FHIR bundle, the day report and the follow-up list through either instance", async () => {
    const coordinator = await Api.login(asServer(a), 'coordinator');
    const created = (await coordinator.post('/api/cases', newCaseBody())).body.case;
    // Signed in on A, reading on B.
    const reader = through(coordinator, b);
    const report = await reader.get(`/api/cases/${created.id}/report`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({ caseId: created.id, version: created.version, stage: 'scheduled', lang: 'fr' });
    const bundle = await reader.request('GET', `/api/cases/${created.id}/fhir`);
    expect(bundle.status).toBe(200);
    expect(bundle.body).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const day = await reader.get('/api/reports/day');
    expect(day.status).toBe(200);
    expect(day.body.cases.map((c: { caseId: string }) => c.caseId)).toContain(created.id);
    const followUp = await reader.get('/api/follow-up');
    expect(followUp.status).toBe(200);
  });

  it('lets exactly one of two tablets, on A and on B, store the same version', async () => {
    const coordinator = await Api.login(asServer(a), 'coordinator');
    const created = (await coordinator.post('/api/cases', newCaseBody())).body;
    const nurseA = await Api.login(asServer(a), 'nurse');
    const nurseB = through(nurseA, b);
    for (let round = 0; round < 5; round++) {
      const current = (await nurseA.get(`/api/cases/${created.case.id}`)).body.case.version as number;
      const answers = await Promise.all([nurseA, nurseB].map((api, i) => api.post(`/api/cases/${created.case.id}/commands`, { ...vitals(round * 2 + i), expectedVersion: current })));
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(answers.find((r) => r.status === 409)!.body.code).toBe('version_conflict');
    }
  });

  it("still delivers every event once to B's boards after the log listeners are killed from the database", async () => {
    const coordinator = await Api.login(asServer(a), 'coordinator');
    const created = (await coordinator.post('/api/cases', newCaseBody())).body;
    const nurse = await Api.login(asServer(a), 'nurse');
    const board = await boardOn(b, boardToken);
    let version = created.case.version as number;
    const send = async (n: number) => {
      const res = await nurse.post(`/api/cases/${created.case.id}/commands`, { ...vitals(n), expectedVersion: version });
      expect(res.status).toBe(200);
      version = res.body.case.version;
    };
    await send(1);
    const killed = await admin.query("select pg_terminate_backend(pid) as done from pg_stat_activity where application_name = 'cryoday-feed'");
    expect(killed.rows.length).toBeGreaterThanOrEqual(2);
    // Committed while nobody listens: caught up from the last seq once the listener is back.
    for (let n = 2; n <= 6; n++) await send(n);
    const last = await lastSeq();
    await board.waitFor((m) => m.some((x) => x.type === 'event' && x.seq === last));
    await send(7);
    await board.waitFor((m) => m.some((x) => x.type === 'event' && x.seq === last + 1));
    expectEveryEventOnce(board, last + 1);
    board.close();
  });

  it("keeps every command A acknowledged when A is SIGKILLed under load, and B's boards see every event once", async () => {
    const coordinator = await Api.login(asServer(b), 'coordinator');
    const cases = [];
    for (let i = 0; i < 4; i++) cases.push((await coordinator.post('/api/cases', newCaseBody())).body.case as { id: string; version: number });
    const board = await boardOn(b, boardToken);
    const nurse = await Api.login(asServer(a), 'nurse');
    const acknowledged = new Map<number, string>();
    let killed = false;
    let counter = 0;
    const failures: unknown[] = [];
    const tablets = cases.map(async (c) => {
      while (!killed) {
        const n = ++counter;
        try {
          const res = await nurse.post(`/api/cases/${c.id}/commands`, { ...vitals(n), expectedVersion: c.version }, { 'idempotency-key': `sigkill-${n}` });
          if (res.status !== 200) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
          acknowledged.set(res.body.events[0].seq, c.id);
          c.version = res.body.case.version;
        } catch (error) {
          if (!killed) failures.push(error);
          return;
        }
      }
    });
    await new Promise((r) => setTimeout(r, 400));
    killed = true;
    a.child.kill('SIGKILL');
    await a.exited;
    await Promise.all(tablets);
    expect(failures).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(4);

    const stored = new Map((await admin.query<{ seq: number; case_id: string }>('select seq, case_id from events')).rows.map((r) => [Number(r.seq), r.case_id]));
    for (const [seq, caseId] of acknowledged) expect(stored.get(seq)).toBe(caseId);
    // What A committed just before it died reaches B's board too: every event of the log, once.
    const last = await lastSeq();
    await board.waitFor((m) => m.some((x) => x.type === 'event' && x.seq === last));
    expectEveryEventOnce(board, last);
    board.close();
    a = await startInstance(bundle, url);
  });
});
