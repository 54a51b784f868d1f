import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { instanceStateLayout } from '../../agents/instance-state.js';
import { HOOK_LOG, HookLogReader } from '../../agents/status/hooks.js';
import type { RulePack } from '../../agents/status/rule-pack.js';
import type { WatchEnd } from '../../agents/status/watcher.js';
import {
  abortableSleep,
  paneSnapshot,
  tmuxCaptureCommands,
  watchAgentStatus,
} from '../../agents/status/watcher.js';
import type { NewEvent } from '../../events/envelope.js';
import type { EventStore } from '../../events/store.js';
import type { InstanceRow } from '../../projections/instances.js';
import type { ContainerRuntime } from '../../runtime/port.js';
import { instanceStream } from './instance-stream.js';

/** The tmux session the entrypoint starts the agent in (images/jackin-layer/runtime/entrypoint.sh). */
export const MAIN_SESSION = 'main';

/** Starts a detached `jackin watch <instance>` for an instance (the composition root spawns it). */
export type StatusWatcherStarter = (instanceId: string) => void;

export interface StatusWatchDeps {
  readonly store: EventStore;
  readonly runtime: ContainerRuntime;
  readonly packs: ReadonlyMap<string, RulePack>;
  readonly intervalMs: number;
  readonly onError?: (error: unknown) => void;
  /** `JACKIN_HOME/data`: each instance's runtime hook log is under `<name>/state/status/`. */
  readonly dataDir?: string;
}

async function execText(
  runtime: ContainerRuntime,
  container: string,
  argv: readonly string[],
): Promise<string> {
  const result = await runtime.containers.exec(container, argv);
  if (result.exitCode !== 0)
    throw new Error(`${argv.join(' ')}: exit ${result.exitCode} ${result.stderr.trim()}`);
  return result.stdout;
}

/**
 * Follows an instance's main tmux session until it is gone: each classified change becomes an
 * `AgentStatusChanged`, each new agent tag an `AgentTagEmitted`. Observations are facts with no
 * invariant to protect, so they append to the existing stream without an exact version.
 */
export async function watchInstanceStatus(
  row: Pick<InstanceRow, 'instance_id' | 'name' | 'runtime'>,
  deps: StatusWatchDeps,
  signal: AbortSignal,
): Promise<WatchEnd> {
  const commands = tmuxCaptureCommands(MAIN_SESSION);
  const hooks = deps.dataDir
    ? new HookLogReader(join(instanceStateLayout(deps.dataDir, row.name).state, HOOK_LOG))
    : undefined;
  const append = async (event: NewEvent): Promise<void> => {
    await deps.store.append(instanceStream(row.instance_id), [event], { expectedVersion: 'stream_exists' });
  };
  return watchAgentStatus(
    {
      instanceId: row.instance_id,
      session: MAIN_SESSION,
      pack: deps.packs.get(row.runtime ?? ''),
      intervalMs: deps.intervalMs,
    },
    {
      capture: async () => {
        const [screen, process] = await Promise.all([
          execText(deps.runtime, row.name, commands.screen),
          execText(deps.runtime, row.name, commands.process),
        ]);
        return paneSnapshot(screen, process);
      },
      sink: {
        statusChanged: (data) => append({ type: 'AgentStatusChanged', data: { ...data } }),
        tagEmitted: (data) => append({ type: 'AgentTagEmitted', data: { ...data } }),
      },
      now: () => Date.now(),
      sleep: abortableSleep,
      ...(hooks ? { readHooks: () => hooks.read() } : {}),
      containerGone: async () => !(await deps.runtime.containers.inspect(row.name))?.running,
      ...(deps.onError ? { onError: deps.onError } : {}),
    },
    signal,
  );
}

/**
 * One watcher per instance: a pid file in the instance state directory, taken exclusively. A
 * stale file (its process gone) is taken over. Returns a release function, or undefined when a
 * live watcher already holds it.
 */
export function claimWatcher(
  stateDir: string,
  pid: number,
  alive: (pid: number) => boolean,
): (() => void) | undefined {
  const file = join(stateDir, 'watcher.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeFileSync(fd, `${pid}\n`);
      closeSync(fd);
      return () => {
        if (existsSync(file) && readFileSync(file, 'utf8').trim() === String(pid))
          rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) return undefined;
      rmSync(file, { force: true });
    }
  }
  return undefined;
}

/** Whether a live watcher holds the instance's pid file (read-only: a stale file is left alone). */
export function watcherRunning(stateDir: string, alive: (pid: number) => boolean): boolean {
  try {
    const holder = Number(readFileSync(join(stateDir, 'watcher.pid'), 'utf8').trim());
    return Number.isInteger(holder) && holder > 0 && alive(holder);
  } catch {
    return false;
  }
}
