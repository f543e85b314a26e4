// Builds the web site when it is missing or older than its sources, so `npm start` and `npm test`
// always serve what the working tree says.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const built = join(root, 'web/build/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureSiteBuilt() {
  const sources = ['web/src', 'web/static', 'shared'].map((d) => join(root, d)).filter(existsSync);
  const sourceTime = Math.max(
    ...sources.map(newestMtime),
    ...['web/svelte.config.js', 'web/vite.config.ts', 'package-lock.json'].map((f) => statSync(join(root, f)).mtimeMs),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sourceTime) return;
  console.log('Building the web site…');
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: join(root, 'web'), stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('The web site did not build.');
    process.exit(result.status ?? 1);
  }
}
