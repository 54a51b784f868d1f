import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** Where jackin keeps its state and config. Derived once from the environment in the composition root. */
export interface JackinPaths {
  readonly home: string;
  readonly configDir: string;
  readonly database: string;
  readonly logs: string;
  readonly roles: string;
  readonly data: string;
  readonly cache: string;
  /** Per-engine facts (the sidecar's privileged-mode detection), shared by every command. */
  readonly engineCache: string;
}

export function resolvePaths(env: NodeJS.ProcessEnv): JackinPaths {
  const home = resolve(env.JACKIN_HOME ?? join(homedir(), '.jackin'));
  const configDir = resolve(env.JACKIN_CONFIG_DIR ?? join(homedir(), '.config', 'jackin'));
  return {
    home,
    configDir,
    database: join(home, 'jackin.db'),
    logs: join(home, 'logs'),
    roles: join(home, 'roles'),
    data: join(home, 'data'),
    cache: join(home, 'cache'),
    engineCache: join(home, 'cache', 'engine'),
  };
}
