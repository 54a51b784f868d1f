import { homedir } from 'node:os';
import { join } from 'node:path';
import { headlessArgv as runtimeHeadlessArgv, resolveRuntime } from '../agents/registry.js';
import { ConfigStore } from '../config/config-store.js';
import type { InstanceDeps } from '../engine/instances/deps.js';
import { headlessArgv } from '../engine/task/headless.js';
import { InstanceTaskRunner } from '../engine/task/instance-runner.js';
import { LocalProcessRunner } from '../engine/task/local-runner.js';
import type { TaskRunner } from '../engine/task/runner.js';
import { hostRepositoryOf, resolveTaskWorkspace } from '../engine/task/task-target.js';
import type { SharedOptions } from '../images/image-service.js';
import { createDockerRuntime } from '../runtime/docker/index.js';
import { followContainerLogs } from '../runtime/docker/follow-logs.js';
import type { App } from './app.js';
import { createInstanceDeps } from './instances.js';

/** Where the fleet keeps per-task files: worktrees and pid files, and agent output logs. */
export function taskPaths(app: App): { data: string; logs: string } {
  return { data: join(app.paths.data, 'tasks'), logs: join(app.paths.logs, 'tasks') };
}

/** `queue run --runner`: `auto` picks `instance` when Docker answers, else `local` (ADR 0017). */
export const RUNNER_KINDS = ['auto', 'instance', 'local'] as const;
export type RunnerKind = (typeof RUNNER_KINDS)[number];

export interface TaskRunnerOptions {
  readonly kind: RunnerKind;
  /** How shared images are obtained when an instance needs them (the `load` defaults). */
  readonly shared: Pick<SharedOptions, 'base' | 'bootstrap' | 'dind'>;
}

/** Whether the Docker engine answers within `timeoutMs`. */
async function dockerAnswers(app: App, timeoutMs = 3_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = createDockerRuntime(app.env)
    .engine.info()
    .then(
      () => true,
      () => false,
    );
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The task runner the worker pool uses: the one line that picks the implementation. `instance`
 * runs each attempt in a fresh instance (containers enforce the limits); `local` runs the agent as
 * a host subprocess (hosts without Docker; limits are only admitted).
 */
export async function createTaskRunner(
  app: App,
  options: TaskRunnerOptions,
): Promise<{ runner: TaskRunner; why: string }> {
  const config = new ConfigStore(app.paths.configDir);
  const home = app.env.HOME ?? homedir();
  const context = { cwd: process.cwd(), home };
  const resolveRepository = async (workspace: string): Promise<string> =>
    hostRepositoryOf(await resolveTaskWorkspace(config, workspace, context));
  let kind = options.kind;
  let why = `--runner ${kind}`;
  if (kind === 'auto') {
    kind = (await dockerAnswers(app)) ? 'instance' : 'local';
    why = kind === 'instance' ? 'Docker answers' : 'Docker does not answer';
  }
  if (kind === 'local') {
    const runner = new LocalProcessRunner({
      dataDir: taskPaths(app).data,
      env: app.env,
      resolveRepository,
      headlessArgv: async (runtime, prompt) =>
        headlessArgv(runtime, prompt, (await config.loadConfig()).value.runtimes ?? {}),
    });
    return { runner, why };
  }
  let engine: Promise<InstanceDeps> | undefined;
  const runner = new InstanceTaskRunner({
    dataDir: taskPaths(app).data,
    env: app.env,
    resolveRepository,
    headlessArgv: async (runtime, prompt) =>
      runtimeHeadlessArgv(resolveRuntime(runtime, (await config.loadConfig()).value), prompt),
    instanceDeps: async (report) => {
      engine ??= createInstanceDeps(app, {
        cwd: context.cwd,
        home,
        interactive: false,
        shared: options.shared,
        report: () => undefined,
      });
      // No status watcher: a headless agent has no tmux pane; the worker reads its tags from the output.
      return { ...(await engine), report, startStatusWatcher: undefined };
    },
    followLogs: (containerId, onLine) => followContainerLogs(app.env, containerId, onLine),
  });
  return { runner, why };
}
