import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api';
import { bundleEntries, type Bundle } from '../support/bundle';
import { appointment, postFhir } from '../support/fhir';
import { asServer, prepareDatabase, spawnServer, type ServerProcess } from '../support/process';
import { removeDir } from '../support/server';

// The first FHIR message of a process loads the R4 definitions its validator reads: a second or more of
// CPU. Done in one go, every board and tablet of the unit froze meanwhile. A fresh server process, since
// a test process that has loaded them already (another FHIR file in the same worker) would prove nothing.
describe('the first FHIR booking of a fresh server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-fhir-first-'));
  let bundle: Bundle;
  let server: ServerProcess;

  beforeAll(async () => {
    bundle = await bundleEntries(['server/main.ts']);
    const databasePath = join(dir, 'cryoday.sqlite');
    await prepareDatabase(databasePath);
    server = await spawnServer(databasePath, { ROOMS: 'Salle 1,Salle 2' }, [bundle.path('server/main.ts')]);
  });
  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    bundle?.remove();
    removeDir(dir);
  });

  it('leaves the server answering the unit while its definitions load, then books the case', async () => {
    const coordinator = await Api.login(asServer(server), 'coordinator');
    let booked = false;
    const started = performance.now();
    const booking = postFhir(coordinator, '/api/fhir/Appointment', appointment()).finally(() => (booked = true));
    // A tablet's requests one after the other meanwhile: each is answered between two slices of the
    // load, instead of waiting for the whole load as they did when it was done in one piece.
    let answered = 0;
    let longestWait = 0;
    while (!booked) {
      const sent = performance.now();
      const res = await coordinator.get('/api/auth/me');
      expect(res.status).toBe(200);
      longestWait = Math.max(longestWait, performance.now() - sent);
      answered += 1;
    }
    const res = await booking;
    const loadMs = performance.now() - started;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect((await coordinator.get(`/api/cases/${res.body.id}`)).body.case.patient).toMatchObject({ lastName: 'François' });
    console.info(`while the FHIR definitions loaded (${loadMs.toFixed(0)} ms): ${answered} requests answered, the longest in ${longestWait.toFixed(0)} ms`);
    // Relative to the load on the same machine, not a speed: loaded in one piece, the request sent as
    // it began waited for all of it; in slices, under a tenth.
    expect(answered).toBeGreaterThanOrEqual(5);
    expect(longestWait / loadMs).toBeLessThan(0.25);
    // Loaded once: the next booking does not load them again.
    expect((await postFhir(coordinator, '/api/fhir/Appointment', appointment())).status).toBe(201);
  });
});
