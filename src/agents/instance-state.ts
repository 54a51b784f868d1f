import { existsSync, lstatSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { UsageError } from '../kernel/errors.js';
import type { RuntimeAdapter } from './adapter.js';
import { installClaudeStatusHooks } from './status/hooks.js';

/** The agent's home inside the role container. */
export const CONTAINER_HOME = '/home/agent';

/** A bind mount (src/runtime `Mount`, structurally). */
export interface StateMount {
  readonly type: 'bind';
  readonly source: string;
  readonly target: string;
  readonly readOnly?: boolean;
}

/**
 * `~/.jackin/data/<instance>/`: `home/` mirrors /home/agent for every persisted runtime path (and
 * `.config/gh`), `state/` is /jackin/state. Everything an agent logs in to or remembers lives here,
 * so it survives `hardline`, restarts and eject; `purge` deletes the directory.
 */
export interface InstanceStateLayout {
  readonly root: string;
  readonly home: string;
  readonly state: string;
  readonly ghConfig: string;
}

const INSTANCE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export function instanceStateLayout(dataDir: string, instance: string): InstanceStateLayout {
  if (!INSTANCE_NAME.test(instance) || instance.includes('..')) {
    throw new UsageError(`'${instance}' is not a valid instance name for a state directory`);
  }
  const root = join(resolve(dataDir), instance);
  const home = join(root, 'home');
  return { root, home, state: join(root, 'state'), ghConfig: join(home, '.config', 'gh') };
}

/** A path under the instance home, refusing anything that escapes it. */
export function homePath(layout: InstanceStateLayout, path: string): string {
  const full = resolve(layout.home, path);
  const rel = relative(layout.home, full);
  if (rel.startsWith('..') || rel === '' || resolve(rel) === rel) {
    throw new UsageError(`runtime path '${path}' is not inside the agent's home`);
  }
  return full;
}

function ensureDir(path: string): void {
  if (existsSync(path) && lstatSync(path).isSymbolicLink()) {
    throw new UsageError(`refusing a symlink in instance state: ${path}`);
  }
  mkdirSync(path, { recursive: true, mode: 0o700 });
}

/**
 * Creates the instance state tree for the runtimes the role supports (every one, so `hardline --new
 * --agent X` needs no login) and returns the mounts into /home/agent. Existing content is kept;
 * runtimes with a hook mechanism get jackin's status hooks merged into their settings.
 */
export function prepareInstanceState(
  layout: InstanceStateLayout,
  runtimes: readonly RuntimeAdapter[],
): StateMount[] {
  ensureDir(layout.root);
  ensureDir(layout.state);
  ensureDir(layout.ghConfig);
  const mounts: StateMount[] = [
    { type: 'bind', source: layout.state, target: '/jackin/state' },
    { type: 'bind', source: layout.ghConfig, target: `${CONTAINER_HOME}/.config/gh` },
  ];
  const seen = new Set<string>();
  for (const adapter of runtimes) {
    for (const entry of adapter.stateDirs) {
      if (seen.has(entry.path)) continue;
      seen.add(entry.path);
      const source = homePath(layout, entry.path);
      if (entry.kind === 'dir') ensureDir(source);
      else {
        ensureDir(dirname(source));
        // A file bind mount needs the file to exist, else Docker makes a directory of it.
        if (!existsSync(source)) writeFileSync(source, entry.initial ?? '', { mode: 0o600 });
      }
      mounts.push({ type: 'bind', source, target: `${CONTAINER_HOME}/${entry.path}` });
    }
  }
  for (const adapter of runtimes) {
    if (adapter.statusHooks?.kind === 'claude-settings')
      installClaudeStatusHooks({
        stateDir: layout.state,
        settingsFile: homePath(layout, adapter.statusHooks.settings),
      });
  }
  return mounts;
}

/** Deletes the instance's state directory (`jackin purge`); true when something was removed. */
export function purgeInstanceState(layout: InstanceStateLayout): boolean {
  if (!existsSync(layout.root)) return false;
  rmSync(layout.root, { recursive: true, force: true });
  return true;
}
