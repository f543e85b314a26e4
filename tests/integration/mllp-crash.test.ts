import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_PASSWORD } from '../support/api';
import { bundleEntries, type Bundle } from '../support/bundle';
import { MllpClient, siu, wallClock } from '../support/hl7';
import { freePort } from '../support/e2e';
import { prepareDatabase, spawnServer, type ServerProcess } from '../support/process';
import { sqlAt } from '../support/sql';
import { removeDir } from '../support/server';

const dir = mkdtempSync(join(tmpdir(), 'cryoday-mllp-crash-'));
const databasePath = join(dir, 'cryoday.sqlite');
let server: ServerProcess | null = null;
let mllpPort = 0;
// Three starts: node runs the bundled server rather than compiling it through tsx each time.
let bundle: Bundle;

const start = () => spawnServer(databasePath, { HL7_MLLP_PORT: String(mllpPort), ROOMS: 'Salle 1,Salle 2' }, [bundle.path('server/main.ts')]);

async function kill() {
  server!.child.kill('SIGKILL');
  await server!.exited;
  server = null;
}

async function casesOf(mrn: string, day: string) {
  const login = await fetch(`${server!.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'coordinator', password: TEST_PASSWORD }) });
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const body = await (await fetch(`${server!.url}/api/cases?date=${day}`, { headers: { cookie } })).json();
  return (body.cases as { patient: { mrn: string }; appointment?: { filler?: string } }[]).filter((c) => c.patient.mrn === mrn);
}

beforeAll(async () => {
  bundle = await bundleEntries(['server/main.ts']);
});
afterAll(async () => {
  if (server) await kill();
  bundle?.remove();
  removeDir(dir);
});

describe('an acknowledged HL7 message survives a SIGKILL', () => {
  it('is there after a kill right after its AA, and a message stored but not applied is applied at the next start', async () => {
    await prepareDatabase(databasePath);
    mllpPort = await freePort();
    server = await start();
    const at = wallClock(new Date(Date.now() + 3_600_000));
    const client = await MllpClient.connect(mllpPort);
    const ack = await client.send(siu({ trigger: 'S12', controlId: 'KILL-0001', placer: 'DEM-1', filler: 'RDV-1', mrn: '00770001', start: at.ts }));
    expect(ack.code).toBe('AA');
    await kill();
    server = await start();
    expect(await casesOf('00770001', at.day)).toMatchObject([{ appointment: { filler: 'RDV-1' } }]);
    await kill();

    // The state a kill leaves between the inbox's commit and the booking's: the row is on disk, `received`.
    await sqlAt(
      databasePath,
      `insert into interface_messages (channel, sender, message_id, received_at, raw, charset, message_type, status)
       values ('mllp', 'RIS_IMAGERIE^CHU_NORD', 'KILL-0002', ?, ?, 'iso-8859-1', 'SIU^S12', 'received')`,
      new Date().toISOString(),
      siu({ trigger: 'S12', controlId: 'KILL-0002', placer: 'DEM-2', filler: 'RDV-2', mrn: '00770002', start: at.ts }),
    );
    server = await start();
    expect(await casesOf('00770002', at.day)).toMatchObject([{ appointment: { filler: 'RDV-2' } }]);
    await kill();
    const rows = await sqlAt<{ message_id: string; status: string; case_id: string | null }>(databasePath, 'select message_id, status, case_id from interface_messages order by id');
    expect(rows.map((r) => [r.message_id, r.status])).toEqual([['KILL-0001', 'applied'], ['KILL-0002', 'applied']]);
    expect(rows.every((r) => r.case_id)).toBe(true);
  }, 120_000);
});
