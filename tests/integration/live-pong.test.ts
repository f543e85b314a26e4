import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scheduleCase } from '../../server/cases/execute';
import { Api, LiveClient, bookCaseInThePast, newCaseBody, seedStaff } from '../support/api';
import { removeDir, startServer, type TestServer } from '../support/server';

/** Each pong's seq beside the last event seq the socket had received before it. */
function pongsAgainstEvents(client: LiveClient) {
  let lastEvent = client.messages[0].seq as number;
  const pairs: { pong: number; heldBefore: number }[] = [];
  for (const message of client.messages.slice(1)) {
    if (message.type === 'event') lastEvent = message.seq;
    if (message.type === 'pong') pairs.push({ pong: message.seq, heldBefore: lastEvent });
  }
  return pairs;
}

describe('live feed: what a pong announces', () => {
  let server: TestServer;
  let staff: Awaited<ReturnType<typeof seedStaff>>;
  let nurse: Api;

  beforeAll(async () => {
    server = await startServer();
    staff = await seedStaff(server);
    nurse = await Api.login(server, 'nurse');
  });
  afterAll(async () => {
    await server.close();
    removeDir(server.dir);
  });

  it('never announces an event the screen has not been sent: each pong names the last event before it on the socket', async () => {
    // Given a tablet's socket holding the day's list
    const client = LiveClient.staff(server, nurse);
    await client.waitFor((m) => m[0]?.type === 'snapshot');
    // When cases are booked while it pings after each, and one more is stored without being published
    // by the command that stored it (on PostgreSQL the instance's log feed publishes it a moment later)
    for (let i = 0; i < 20; i++) {
      await bookCaseInThePast(server, staff.coordinator, 5);
      client.socket.send(JSON.stringify({ type: 'ping' }));
    }
    const actor = { id: staff.coordinator.id, name: staff.coordinator.displayName, role: 'coordinator' as const };
    await server.app.groupCommit.run((tx) => scheduleCase({ tx, settings: server.app.settings, labelMode: server.app.config.boardLabel, actor, now: new Date() }, newCaseBody() as never));
    client.socket.send(JSON.stringify({ type: 'ping' }));
    await client.waitFor((m) => m.filter((x) => x.type === 'pong').length === 21);
    // Then no pong claimed more than the socket had been sent, and once the bookings are all out, the
    // pong names the very last event it received: a screen holding less would know it missed one.
    const pairs = pongsAgainstEvents(client);
    expect(pairs.filter((p) => p.pong > p.heldBefore)).toEqual([]);
    client.socket.send(JSON.stringify({ type: 'ping' }));
    await client.waitFor((m) => m.filter((x) => x.type === 'pong').length === 22);
    const last = pongsAgainstEvents(client).at(-1)!;
    expect(last.pong).toBe(last.heldBefore);
    expect(client.events().length).toBeGreaterThanOrEqual(20);
    client.close();
  });
});
