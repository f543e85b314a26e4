import type { TestProject } from 'vitest/node';
import { postgresBinDir, startCluster, type ClusterAddress } from './postgres';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's throwaway cluster, or null when PostgreSQL is not installed here (never under CI). */
    postgres: ClusterAddress | null;
  }
}

/**
 * One throwaway PostgreSQL 15 cluster for every file of the postgres project (initdb alone is seconds
 * of CPU): each file works in a database of its own (freshDatabase). Stopped and removed when the run
 * ends, failed or not; also when the process is interrupted.
 */
export default async function setup(project: TestProject) {
  const bin = postgresBinDir();
  if (!bin) {
    if (process.env.CI === 'true') throw new Error('PostgreSQL is not installed (pg_config not found): .ci/run installs the postgresql package');
    console.warn('\n  PostgreSQL is not installed (pg_config not found): the postgres project is SKIPPED. apt-get install postgresql to run it.\n');
    project.provide('postgres', null);
    return;
  }
  const cluster = await startCluster(bin);
  const stop = () => cluster.stop();
  const interrupted = (signal: NodeJS.Signals) => {
    stop();
    process.kill(process.pid, signal);
  };
  process.once('exit', stop);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  project.provide('postgres', { dir: cluster.dir, port: cluster.port });
  return () => {
    process.off('exit', stop);
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    stop();
  };
}
