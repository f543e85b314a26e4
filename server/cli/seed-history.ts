// `npm run seed:history -- --days 365 [--per-day 30] [--seed 1] [--last-day YYYY-MM-DD]`: fills the
// empty database at DATABASE_PATH, or at DATABASE_URL on PostgreSQL, with that much history (weekdays' cases, follow-up calls), through
// the same commands the screens send, for the benchmarks and for trying the reports on a real year.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SETTINGS, addDays, dayOf } from '../../shared';
import { openDatabase } from '../../db/connection';
import { ConfigError, loadConfig } from '../config';
import { seedHistory, seedHistoryInto, type SeedOptions, type SeedProgress } from '../demo/history-seed';
import { isCalendarDay } from '../reports/dates';

const usage = 'usage: npm run seed:history -- --days N [--per-day N] [--seed N] [--last-day YYYY-MM-DD]';

async function main() {
  const config = loadConfig();
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
  const settings = {
    ...DEFAULT_SETTINGS,
    observationMinutes: config.observationMinutes,
    sedatedObservationMinutes: config.sedatedObservationMinutes,
    cyclesPerTarget: config.cyclesPerTarget,
    roomCleaningAlertMinutes: config.roomCleaningAlertMinutes,
    sedationVitalsMinutes: config.sedationVitalsMinutes,
    timeZone: config.timezone,
  };
  const options: SeedOptions = { days, lastDay, perDay, seed, rooms: config.rooms, settings, labelMode: config.boardLabel };
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const progress = (p: SeedProgress) => {
    if (p.daysDone % 30 === 0 || p.daysDone === days) console.log(`  ${p.day}: ${p.daysDone}/${days} days, ${p.cases} cases, ${p.commands} commands, ${seconds()} s`);
  };
  const seeding = `seeding ${days} days up to ${lastDay}, about ${perDay} cases a weekday, seed ${seed}`;
  const done = (cases: number, stages: { stage: string; n: number }[], events: number, bytes: number) =>
    console.log(`done in ${seconds()} s: ${cases} cases (${stages.map((s) => `${s.n} ${s.stage}`).join(', ')}), ${events} events, ${(bytes / 1e6).toFixed(0)} MB`);

  if (config.databaseUrl !== null) {
    // Loaded only here: seeding SQLite never loads the PostgreSQL driver.
    const { openPostgres } = await import('../../db/pg/connection');
    const { pgHistoryTarget } = await import('../demo/pg-history');
    const postgres = await openPostgres(config.databaseUrl, { max: 2 });
    try {
      console.log(`PostgreSQL (DATABASE_URL): ${seeding}`);
      await seedHistoryInto(pgHistoryTarget(postgres.pool), options, progress);
      const one = async <T>(sql: string) => (await postgres.pool.query(sql)).rows[0] as T;
      const stages = (await postgres.pool.query<{ stage: string; n: number }>('select stage, count(*)::int as n from cases group by stage order by stage collate "C"')).rows;
      done(
        (await one<{ n: number }>('select count(*)::int as n from cases')).n,
        stages,
        (await one<{ n: number }>('select count(*)::int as n from events')).n,
        (await one<{ n: number }>('select pg_database_size(current_database()) as n')).n,
      );
    } finally {
      await postgres.close();
    }
    return;
  }

  const path = resolve(config.databasePath);
  const connection = openDatabase(path);
  try {
    console.log(`${path}: ${seeding}`);
    await seedHistory(connection, options, progress);
    const count = (sql: string) => connection.sqlite.prepare(sql).pluck().get() as number;
    const stages = connection.sqlite.prepare('select stage, count(*) as n from cases group by stage order by stage').all() as { stage: string; n: number }[];
    connection.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    done(count('select count(*) from cases'), stages, count('select count(*) from events'), statSync(path).size);
  } finally {
    connection.close();
  }
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? `seed:history: ${error.message}` : `seed:history failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
