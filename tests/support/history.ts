import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '../../shared';
import { openDatabase } from '../../db/connection';
import { seedHistory, type SeedResult } from '../../server/demo/history-seed';
import { prepareDatabase } from './process';

export const HISTORY_ROOMS = ['Salle 1', 'Salle 2', 'Salle 3'];

/**
 * A fresh folder whose cryoday.sqlite holds the test accounts (one per role, TEST_PASSWORD), a board
 * token and `days` of seeded history up to `lastDay`, written through the command path before any
 * server opens it. startServer({}, dir) then serves it.
 */
export async function historyFolder(options: { days: number; seed: number; lastDay: string; perDay?: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'cryoday-history-'));
  const path = join(dir, 'cryoday.sqlite');
  const { boardToken } = await prepareDatabase(path);
  const connection = openDatabase(path);
  let seeded: SeedResult;
  try {
    seeded = await seedHistory(connection, {
      days: options.days,
      lastDay: options.lastDay,
      perDay: options.perDay ?? 30,
      seed: options.seed,
      rooms: HISTORY_ROOMS,
      settings: DEFAULT_SETTINGS,
      labelMode: 'initials',
    });
  } finally {
    connection.close();
  }
  return { dir, boardToken, seeded };
}
