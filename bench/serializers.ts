// `node --import tsx bench/serializers.ts`: what a response schema costs on the two answers that carry
// the most, against the JSON.stringify Fastify used before the routes declared them. A whole day of
// commands is driven over HTTP on a real server first, so the answers have their real size.
import { performance } from 'node:perf_hooks';
import build from 'fast-json-stringify';
import { CommandAnswerSchema, DayReportSchema, dayOf } from '../shared';
import { Api, bookCaseInThePast, newCaseBody, seedStaff } from '../tests/support/api';
import { minutesAgo, wholeDay } from '../tests/support/day';
import { removeDir, startServer } from '../tests/support/server';

const server = await startServer();
const staff = await seedStaff(server);
const users = { nurse: await Api.login(server, 'nurse'), radiologist: await Api.login(server, 'radiologist') };
const coordinator = await Api.login(server, 'coordinator');
const id = await bookCaseInThePast(server, staff.coordinator, 180, newCaseBody());
let answer: unknown;
for (const [who, command] of wholeDay('room-1', minutesAgo(Date.now()))) answer = await users[who].command(id, command);
for (let i = 0; i < 8; i++) await bookCaseInThePast(server, staff.coordinator, 100, newCaseBody());
const report = (await coordinator.get(`/api/reports/day?date=${dayOf(new Date(), server.config.timezone)}`)).body;
await server.close();
removeDir(server.dir);

function time(label: string, serialise: () => string, runs = 20_000) {
  for (let i = 0; i < 2000; i++) serialise();
  const start = performance.now();
  for (let i = 0; i < runs; i++) serialise();
  const micros = ((performance.now() - start) * 1000) / runs;
  console.log(`${label.padEnd(52)} ${micros.toFixed(1).padStart(6)} µs  (${serialise().length} bytes)`);
}

const commandAnswer = build(CommandAnswerSchema as never);
const dayReport = build(DayReportSchema as never);
time('command answer (a discharged case), JSON.stringify', () => JSON.stringify(answer));
time('command answer, its response schema', () => commandAnswer(answer));
time('day report (9 cases), JSON.stringify', () => JSON.stringify(report));
time('day report, its response schema', () => dayReport(report));
