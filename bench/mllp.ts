// `npm run bench:mllp`: the hospital's interface engine booking a day, and a week, over MLLP. A real
// server process (its own SQLite file, synchronous=FULL) takes SIU^S12 messages on CONNECTIONS
// connections, each sending one message and waiting for its ACK before the next, as an engine does.
// Prints messages per second and ACK latency p50/p99/max for one connection and for several.
// 127.0.0.1 only, well under a minute.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from '../tests/support/e2e';
import { MllpClient, siu, wallClock } from '../tests/support/hl7';
import { prepareDatabase, spawnServer } from '../tests/support/process';

const MESSAGES = Number(process.env.MLLP_MESSAGES ?? 400);
const CONNECTIONS = Number(process.env.MLLP_CONNECTIONS ?? 4);

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

let serial = 0;
async function run(port: number, connections: number, total: number) {
  const clients = await Promise.all(Array.from({ length: connections }, () => MllpClient.connect(port)));
  const latencies: number[] = [];
  const start = performance.now();
  const slot = wallClock(new Date(Date.now() + 3_600_000)).ts;
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < total / connections; i++) {
        serial += 1;
        const sent = performance.now();
        const ack = await client.send(siu({ trigger: 'S12', controlId: `BENCH${serial}`, placer: `DEM-B${serial}`, filler: `RDV-B${serial}`, mrn: `B${100000 + serial}`, start: slot, service: 'CRYO^intercostal T6 gauche' }));
        if (ack.code !== 'AA') throw new Error(`message ${serial}: ${ack.text}`);
        latencies.push(performance.now() - sent);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  for (const client of clients) client.close();
  return { perSecond: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: Math.max(...latencies) };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-mllp-bench-'));
  const port = await freePort();
  try {
    await prepareDatabase(join(dir, 'cryoday.sqlite'));
    const server = await spawnServer(join(dir, 'cryoday.sqlite'), { HL7_MLLP_PORT: String(port), LOG_LEVEL: 'warn' });
    try {
      await run(port, 1, 20);
      const one = await run(port, 1, MESSAGES);
      const many = await run(port, CONNECTIONS, MESSAGES);
      const line = (name: string, r: Awaited<ReturnType<typeof run>>) =>
        `${name.padEnd(16)} ${r.perSecond.toFixed(0).padStart(5)} msg/s   ACK p50 ${r.p50.toFixed(1)} ms   p99 ${r.p99.toFixed(1)} ms   max ${r.max.toFixed(1)} ms`;
      console.log(`MLLP SIU^S12, ${MESSAGES} messages each run (load average ${loadavg()[0]!.toFixed(1)})`);
      console.log(line('1 connection', one));
      console.log(line(`${CONNECTIONS} connections`, many));
    } finally {
      server.child.kill('SIGTERM');
      await server.exited;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
