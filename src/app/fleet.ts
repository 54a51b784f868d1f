import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigStore } from '../config/config-store.js';
import { headlessArgv } from '../engine/task/headless.js';
import { LocalProcessRunner } from '../engine/task/local-runner.js';
import type { TaskRunner } from '../engine/task/runner.js';
import { hostRepositoryOf, resolveTaskWorkspace } from '../engine/task/task-target.js';
import type { App } from './app.js';

/** Where the fleet keeps per-task files: worktrees and pid files, and agent output logs. */
export function taskPaths(app: App): { data: string; logs: string } {
  return { data: join(app.paths.data, 'tasks'), logs: join(app.paths.logs, 'tasks') };
}

/**
 * The task runner the worker pool uses. Issue 5 (instances) swaps this one line for the
 * instance-based runner; nothing else in the pool changes.
 */
export function createTaskRunner(app: App): TaskRunner {
  const config = new ConfigStore(app.paths.configDir);
  const context = { cwd: process.cwd(), home: homedir() };
  return new LocalProcessRunner({
    dataDir: taskPaths(app).data,
    env: app.env,
    resolveRepository: async (workspace) =>
      hostRepositoryOf(await resolveTaskWorkspace(config, workspace, context)),
    headlessArgv: async (runtime, prompt) =>
      headlessArgv(runtime, prompt, (await config.loadConfig()).value.runtimes ?? {}),
  });
}
