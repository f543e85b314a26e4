import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where a throwaway cluster listens: its own folder holds the unix socket. Plain data, so a globalSetup can provide it. */
export interface ClusterAddress {
  dir: string;
  port: number;
}

export interface Cluster extends ClusterAddress {
  stop(): void;
  /** Stops the server and keeps its data, as an outage or a restart does; `resume()` starts it again on the same port. */
  halt(): void;
  resume(): void;
}

/** Where Debian's PostgreSQL keeps initdb and pg_ctl, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const found = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : null;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

const asRoot = () => process.getuid?.() === 0;

/**
 * initdb refuses to run as root, and these machines run as root: the cluster then belongs to the
 * `postgres` OS user Debian's package creates, and every server command runs as that user.
 */
function runAsOwner(command: string, args: string[]) {
  const [file, argv] = asRoot() ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  const run = spawnSync(file, argv, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${command} ${args[0] ?? ''} failed (${run.status}): ${run.stderr || run.stdout}`);
}

const PREFIX = 'cryoday-pg-';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * A run killed outright (SIGKILL, a cut session) cannot stop its cluster: the next start stops and
 * removes every cluster whose owning process is gone, and leaves the others' running clusters alone.
 */
function sweepOrphans(bin: string) {
  for (const name of readdirSync(tmpdir()).filter((n) => n.startsWith(PREFIX))) {
    const dir = join(tmpdir(), name);
    try {
      const owner = join(dir, 'owner.pid');
      // A folder without its owner's pid yet is being set up right now, unless it is old.
      if (!existsSync(owner) && Date.now() - statSync(dir).mtimeMs < 10 * 60_000) continue;
      if (existsSync(owner) && alive(Number(readFileSync(owner, 'utf8')))) continue;
      if (existsSync(join(dir, 'data', 'postmaster.pid'))) runAsOwner(join(bin, 'pg_ctl'), ['stop', '-D', join(dir, 'data'), '-m', 'immediate', '-w']);
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Another run is sweeping the same folder, or it is not ours to remove: leave it.
    }
  }
}

/**
 * initdb, then start on a free port. fsync and synchronous_commit stay on, as in production: a test
 * or a figure from a cluster that skips the flush would say nothing about the real one. It listens on
 * 127.0.0.1 and on a socket in its own folder only, so trust authentication opens it to nobody else.
 */
export async function startCluster(bin: string): Promise<Cluster> {
  sweepOrphans(bin);
  const dir = mkdtempSync(join(tmpdir(), PREFIX));
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const data = join(dir, 'data');
  let started = false;
  const stop = () => {
    if (started) {
      started = false;
      // The folder is removed next: no shutdown checkpoint is worth waiting for.
      runAsOwner(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'immediate', '-w']);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (asRoot()) {
      const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
      chownSync(dir, id('-u'), id('-g'));
    }
    const port = await freePort();
    // --no-sync spares only initdb's own flush of the files it creates, for a cluster thrown away at
    // the end; the running server still flushes every commit.
    runAsOwner(join(bin, 'initdb'), ['--no-sync', '-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-instructions']);
    // postgresql.auto.conf is read last and belongs to the data folder, which the owner writes.
    const conf = [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${dir}'`,
      'fsync = on',
      'synchronous_commit = on',
      'max_connections = 200',
      'shared_buffers = 64MB',
      '',
    ].join('\n');
    runAsOwner('sh', ['-c', `cat >> '${join(data, 'postgresql.auto.conf')}' <<'CONF'\n${conf}CONF`]);
    const resume = () => {
      runAsOwner(join(bin, 'pg_ctl'), ['start', '-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '60']);
      started = true;
    };
    const halt = () => {
      runAsOwner(join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w']);
      started = false;
    };
    resume();
    return { dir, port, stop, halt, resume };
  } catch (error) {
    stop();
    throw error;
  }
}

/** A connection string over the cluster's unix socket. */
export function urlOf(address: ClusterAddress, database: string): string {
  return `postgres://postgres@/${database}?host=${encodeURIComponent(address.dir)}&port=${address.port}`;
}

let databases = 0;

/** A fresh, empty database in the cluster, so two test files (or two tests) never share rows. */
/** `template`: a copy of that database (migrated once per run, templateDatabase) rather than an empty one. */
export async function freshDatabase(address: ClusterAddress, prefix = 'cryoday', template?: string): Promise<string> {
  const name = `${prefix}_${process.pid}_${++databases}`;
  const admin = new pg.Client({ connectionString: urlOf(address, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}"`);
    await admin.query(`create database "${name}"${template ? ` template "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  return urlOf(address, name);
}

/**
 * A database holding every migration, nobody connected to it: copying it is a file copy, where
 * migrating each test server's database ran every migration's statements again.
 */
export async function templateDatabase(address: ClusterAddress): Promise<string> {
  const { migratePostgres } = await import('../../db/pg/connection');
  const url = await freshDatabase(address, 'cryoday_template');
  await migratePostgres(url);
  return url.slice(url.lastIndexOf('/') + 1, url.indexOf('?'));
}

