// `npm run seed:history -- --days 365 [--per-day 30] [--seed 1] [--last-day YYYY-MM-DD]`: fills the
// empty database at DATABASE_PATH with that much history (weekdays' cases, follow-up calls), through
// the same commands the screens send, for the benchmarks and for trying the reports on a real year.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, addDays, dayOf } from '../../shared';
import { openDatabase } from '../../db/connection';
import { ConfigError, loadConfig } from '../config';
import { seedHistory } from '../demo/history-seed';
import { isCalendarDay } from '../reports/dates';

const usage = 'usage: npm run seed:history -- --days N [--per-day N] [--seed N] [--last-day YYYY-MM-DD]';

async function main() {
  const config = loadConfig();
  if (config.databaseUrl !== null) {
    console.error('seed:history fills a SQLite file (DATABASE_PATH) and DATABASE_URL is set: unset it to seed SQLite; it does not write to PostgreSQL yet');
    process.exitCode = 2;
    return;
  }
  const { values } = parseArgs({ options: { days: { type: 'string' }, 'per-day': { type: 'string' }, seed: { type: 'string' }, 'last-day': { type: 'string' } } });
  const days = Number(values.days);
  const perDay = Number(values['per-day'] ?? 30);
  const seed = Number(values.seed ?? 1);
  const lastDay = values['last-day'] ?? addDays(dayOf(new Date(), config.timezone), -1);
  if (!Number.isInteger(days) || days < 1 || days > 3660 || !Number.isInteger(perDay) || perDay < 1 || perDay > 200 || !Number.isInteger(seed) || !isCalendarDay(lastDay)) {
    console.error(usage);
    process.exitCode = 2;
    return;
  }
  const path = resolve(config.databasePath);
  const connection = openDatabase(path);
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  try {
    const settings = {
      ...DEFAULT_SETTINGS,
      observationMinutes: config.observationMinutes,
      sedatedObservationMinutes: config.sedatedObservationMinutes,
      cyclesPerTarget: config.cyclesPerTarget,
      roomCleaningAlertMinutes: config.roomCleaningAlertMinutes,
      sedationVitalsMinutes: config.sedationVitalsMinutes,
      timeZone: config.timezone,
    };
    console.log(`${path}: seeding ${days} days up to ${lastDay}, about ${perDay} cases a weekday, seed ${seed}`);
    await seedHistory(connection, { days, lastDay, perDay, seed, rooms: config.rooms, settings, labelMode: config.boardLabel }, (p) => {
      if (p.daysDone % 30 === 0 || p.daysDone === days) console.log(`  ${p.day}: ${p.daysDone}/${days} days, ${p.cases} cases, ${p.commands} commands, ${seconds()} s`);
    });
    const count = (sql: string) => connection.sqlite.prepare(sql).pluck().get() as number;
    const stages = connection.sqlite.prepare('select stage, count(*) as n from cases group by stage order by stage').all() as { stage: string; n: number }[];
    connection.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    console.log(
      `done in ${seconds()} s: ${count('select count(*) from cases')} cases (${stages.map((s) => `${s.n} ${s.stage}`).join(', ')}), ` +
        `${count('select count(*) from events')} events, ${(statSync(path).size / 1e6).toFixed(0)} MB`,
    );
  } finally {
    connection.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? `seed:history: ${error.message}` : `seed:history failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
