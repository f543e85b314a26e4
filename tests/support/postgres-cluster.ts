import type { TestProject } from 'vitest/node';
import { postgresBinDir, startCluster, templateDatabase, type Cluster, type ClusterAddress } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's throwaway cluster, or null when PostgreSQL is not installed here (never under CI). */
    postgres: (ClusterAddress & { template: string }) | null;
  }
}

interface Shared {
  cluster: Promise<(Cluster & { template: string }) | null>;
  users: number;
}

// Each project that names this globalSetup runs it (the postgres project, integration-pg): they share
// one cluster, kept on the main process's global object, and the last one to end stops it.
const KEY = Symbol.for('cryoday.test.postgres-cluster');
const holder = globalThis as typeof globalThis & { [KEY]?: Shared };

async function open(): Promise<(Cluster & { template: string }) | null> {
  const bin = postgresBinDir();
  if (!bin) {
    if (process.env.CI === 'true') throw new Error('PostgreSQL is not installed (pg_config not found): .ci/run installs the postgresql package');
    console.warn('\n  PostgreSQL is not installed (pg_config not found): the postgres and integration-pg projects are SKIPPED. apt-get install postgresql to run them.\n');
    return null;
  }
  const cluster = await startCluster(bin);
  try {
    // Migrated once per run: every test server's database is a copy of it (CREATE DATABASE … TEMPLATE).
    return { ...cluster, template: await templateDatabase(cluster) };
  } catch (error) {
    cluster.stop();
    throw error;
  }
}

/**
 * One throwaway PostgreSQL 15 cluster for every file of the projects that use it (initdb alone is seconds
 * of CPU): each file works in a database of its own (freshDatabase). Stopped and removed when the run
 * ends, failed or not; also when the process is interrupted.
 */
export default async function setup(project: TestProject) {
  const shared = (holder[KEY] ??= { cluster: open(), users: 0 });
  shared.users++;
  const cluster = await shared.cluster;
  if (!cluster) {
    project.provide('postgres', null);
    return;
  }
  const stop = () => cluster.stop();
  const interrupted = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  process.once('exit', stop);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  project.provide('postgres', { dir: cluster.dir, port: cluster.port, template: cluster.template });
  return () => {
    process.off('exit', stop);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    if (--shared.users === 0) {
      delete holder[KEY];
      stop();
    }
  };
}
