import { join } from 'node:path';
import { isLive } from '../../domain/instance-state.js';
import { JackinError } from '../../kernel/errors.js';
import { findInstance, listInstances } from '../../projections/instances.js';
import type { InstanceDeps, StageReporter } from '../instances/deps.js';
import { ejectInstance } from '../instances/eject.js';
import { instanceStream, latest } from '../instances/instance-stream.js';
import { launchInstance } from '../instances/launch.js';
import { reconcileInstances } from '../instances/reconcile.js';
import type { RunObserver, RunningTask, TaskRunInput, TaskRunResult, TaskRunner } from './runner.js';
import { TaskWorktrees } from './task-worktree.js';
import type { TaskCheckout } from './task-worktree.js';

export interface InstanceRunnerDeps {
  /** Where per-task worktrees live (`~/.jackin/data/tasks`). */
  readonly dataDir: string;
  /** The environment git runs with. */
  readonly env: NodeJS.ProcessEnv;
  /** The host git repository of a task's workspace. */
  resolveRepository(workspace: string): Promise<string>;
  /** The runtime's headless argv for the prompt (src/agents `headlessArgv`). */
  headlessArgv(runtime: string, prompt: string): Promise<string[]>;
  /** The instance engine, reporting its launch stages to `report`. */
  instanceDeps(report: StageReporter): Promise<InstanceDeps>;
  /** Follows a container's output until it stops; resolves with the line count. */
  followLogs(containerId: string, onLine: RunObserver['onLine']): Promise<number>;
  /** Seconds `stop()` gives the agent after SIGTERM before Docker kills it. */
  readonly stopGraceSeconds?: number;
}

/** Task limits in the launch's terms (the contract resolves them; the containers enforce them). */
function launchLimits(input: TaskRunInput): { memory?: string; cpus?: number } {
  return {
    ...(input.limits.memoryBytes === undefined ? {} : { memory: String(input.limits.memoryBytes) }),
    ...(input.limits.cpus === undefined ? {} : { cpus: input.limits.cpus }),
  };
}

/**
 * Runs each attempt headless in a fresh instance (ADR 0017): a worktree on `jackin/task/<id>`
 * mounted at its own host path (with the repository's `.git`, so git works inside), the role
 * container running the runtime's headless argv under the task's memory/CPU limits, its output
 * followed line by line, its exit code and `OOMKilled` read from the engine, and the instance
 * ejected at the end. The worktree and branch stay when the agent committed.
 */
export class InstanceTaskRunner implements TaskRunner {
  readonly name = 'instance';
  private readonly worktrees: TaskWorktrees;

  constructor(private readonly deps: InstanceRunnerDeps) {
    this.worktrees = new TaskWorktrees(deps.dataDir, deps.env);
  }

  async start(input: TaskRunInput, observer: RunObserver): Promise<RunningTask> {
    const repository = await this.deps.resolveRepository(input.workspace);
    const argv = await this.deps.headlessArgv(input.runtime, input.prompt);
    const checkout = await this.worktrees.prepare(input.taskId, repository, input.workspace);
    const engine = await this.deps.instanceDeps((stage, detail) =>
      observer.onLine(`[jackin] ${stage}: ${detail}`, 'stderr'),
    );
    let launched;
    try {
      launched = await launchInstance(
        {
          role: input.role,
          target: checkout.worktree,
          mounts: [`${checkout.repo}/.git`],
          agent: input.runtime,
          limits: launchLimits(input),
          rebuild: false,
          force: false,
          headless: {
            argv,
            env: {
              JACKIN_TASK_ID: input.taskId,
              JACKIN_TASK_ATTEMPT: String(input.attempt),
              JACKIN_TASK_BRANCH: checkout.branch,
            },
          },
        },
        engine,
      );
    } catch (error) {
      await this.worktrees.discard(checkout).catch(() => undefined);
      throw error instanceof JackinError
        ? error
        : new JackinError('launch_failed', error instanceof Error ? error.message : String(error), {
            cause: error,
          });
    }
    const { id: instanceId, containerId } = launched;
    const logs = this.deps.followLogs(containerId, (line, stream) => observer.onLine(line, stream));
    const done = this.finish(engine, instanceId, containerId, checkout, logs);
    const stop = (): void => {
      void engine.runtime.containers
        .stop(containerId, { timeoutSeconds: this.deps.stopGraceSeconds ?? 5 })
        .catch(() => undefined);
    };
    return { instanceId, branch: checkout.branch, baseCommit: checkout.baseCommit, done, stop };
  }

  private async finish(
    engine: InstanceDeps,
    instanceId: string,
    containerId: string,
    checkout: TaskCheckout,
    logs: Promise<number>,
  ): Promise<TaskRunResult> {
    try {
      const exitCode = await engine.runtime.containers.wait(containerId);
      const details = await engine.runtime.containers.inspect(containerId);
      const outputLines = await logs;
      await this.eject(engine, instanceId);
      const commits = await this.worktrees.settle(checkout);
      return {
        exitCode: details?.exitCode ?? exitCode,
        signal: undefined,
        oomKilled: details?.oomKilled === true,
        outputLines,
        branch: checkout.branch,
        commits,
        kept: commits.length > 0,
      };
    } catch (error) {
      await this.eject(engine, instanceId).catch(() => undefined);
      throw error;
    }
  }

  private async eject(engine: InstanceDeps, instanceId: string): Promise<string[]> {
    const removed: string[] = [];
    for (const row of findInstance(engine.db, instanceId).filter((r) => isLive(r.state))) {
      const result = await ejectInstance(engine, row, false);
      removed.push(`ejected ${result.name} (${result.removed.join(', ') || 'nothing left'})`);
    }
    return removed;
  }

  /**
   * At worker start: the general instance reconciler (interrupted launches/ejects, stopped or lost
   * containers; recorded with actor `reconciler`), then every live task instance whose launching
   * worker is gone is ejected now instead of when its task's lease expires (nobody will record its
   * outcome; the task's next attempt starts from HEAD anyway).
   */
  async reconcile(): Promise<string[]> {
    const engine = await this.deps.instanceDeps(() => undefined);
    const lines = (await reconcileInstances(engine, { full: false })).map(
      (a) => `reconciled ${a.instanceId}: ${a.event} (${a.detail})`,
    );
    for (const row of listInstances(engine.db)) {
      if (!isLive(row.state) || !isTaskWorktree(this.deps.dataDir, row.workspace)) continue;
      const intent = latest(
        await engine.store.readStream(instanceStream(row.instance_id)),
        'InstanceLaunchRequested',
      );
      if (intent === undefined || engine.ownerAlive(intent.owner)) continue;
      const dead = `its worker (pid ${intent.owner?.pid ?? '?'} on ${intent.owner?.host ?? '?'}) is gone`;
      for (const line of await this.eject(engine, row.instance_id))
        lines.push(`reconciled ${row.instance_id}: ${line}; ${dead}`);
    }
    return lines;
  }

  async cleanupAbandoned(taskId: string, instanceId: string | undefined): Promise<string[]> {
    const engine = await this.deps.instanceDeps(() => undefined);
    // A worker killed mid-launch never recorded TaskStarted, so the lease names no instance: the
    // dead attempt's half-launched instance is found by its target, the task's worktree.
    const worktree = join(this.worktrees.taskDir(taskId), 'worktree');
    const ids = new Set(instanceId ? [instanceId] : []);
    for (const row of listInstances(engine.db))
      if (isLive(row.state) && row.workspace === worktree) ids.add(row.instance_id);
    const removed: string[] = [];
    for (const id of ids) removed.push(...(await this.eject(engine, id)));
    return removed;
  }
}

/** `<dataDir>/<task>/worktree`: the target of a task instance (see TaskWorktrees). */
function isTaskWorktree(dataDir: string, workspace: string): boolean {
  if (!workspace.startsWith(`${dataDir}/`)) return false;
  const rest = workspace.slice(dataDir.length + 1).split('/');
  return rest.length === 2 && rest[1] === 'worktree';
}
