import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { JackinError } from '../../kernel/errors.js';
import { TaskWorktrees } from './task-worktree.js';
import type { RunObserver, RunningTask, TaskRunInput, TaskRunResult, TaskRunner } from './runner.js';

export interface LocalRunnerDeps {
  /** Where per-task worktrees and pid files live (`~/.jackin/data/tasks`). */
  readonly dataDir: string;
  /** The environment agents and git run with. */
  readonly env: NodeJS.ProcessEnv;
  /** The host git repository of a task's workspace. */
  resolveRepository(workspace: string): Promise<string>;
  /** The headless argv of a runtime. */
  headlessArgv(runtime: string, prompt: string): Promise<string[]>;
  /** How long `stop()` waits after SIGTERM before SIGKILL. */
  readonly stopGraceMs?: number;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the runtime's headless command as a local subprocess (its own process group) in a fresh
 * `git worktree` on `jackin/task/<id>`. No container: limits are admitted, not enforced (ADR 0004).
 */
export class LocalProcessRunner implements TaskRunner {
  readonly name = 'local-process';
  private readonly worktrees: TaskWorktrees;

  constructor(private readonly deps: LocalRunnerDeps) {
    this.worktrees = new TaskWorktrees(deps.dataDir, deps.env);
  }

  private taskDir(taskId: string): string {
    return this.worktrees.taskDir(taskId);
  }

  async start(input: TaskRunInput, observer: RunObserver): Promise<RunningTask> {
    const { env } = this.deps;
    const repo = await this.deps.resolveRepository(input.workspace);
    const argv = await this.deps.headlessArgv(input.runtime, input.prompt);
    const checkout = await this.worktrees.prepare(input.taskId, repo, input.workspace);
    const { dir, worktree, branch, baseCommit } = checkout;
    const instanceId = `local-${input.taskId}-${input.attempt}`;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: worktree,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...env,
        JACKIN_TASK_ID: input.taskId,
        JACKIN_TASK_ATTEMPT: String(input.attempt),
        JACKIN_TASK_BRANCH: branch,
        JACKIN_TASK_PROMPT: input.prompt,
        JACKIN_INSTANCE_ID: instanceId,
      },
    });
    // Listen before any await: a quick agent may exit while we are still writing the pid file.
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    let lines = 0;
    const readers = (['stdout', 'stderr'] as const).map((name) => {
      const reader = createInterface({ input: child[name], crlfDelay: Infinity });
      reader.on('line', (line) => {
        lines += 1;
        observer.onLine(line, name);
      });
      return new Promise<void>((resolve) => reader.once('close', resolve));
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
    } catch (error) {
      await this.worktrees.discard(checkout);
      throw new JackinError('launch_failed', `cannot start ${argv[0]!}: ${(error as Error).message}`, {
        hint: `check the ${input.runtime} headless command (config.toml [runtimes.${input.runtime}])`,
        cause: error,
      });
    }
    const pid = child.pid!;
    await writeFile(join(dir, 'agent.pid'), `${pid} ${instanceId}\n`);
    let killTimer: NodeJS.Timeout | undefined;
    const done = (async (): Promise<TaskRunResult> => {
      const { code, signal } = await exited;
      clearTimeout(killTimer);
      await Promise.all(readers);
      await rm(join(dir, 'agent.pid'), { force: true });
      const commits = await this.worktrees.settle(checkout);
      return {
        exitCode: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15),
        signal: signal ?? undefined,
        oomKilled: false,
        outputLines: lines,
        branch,
        commits,
        kept: commits.length > 0,
      };
    })();
    const stop = (): void => {
      signalGroup(pid, 'SIGTERM');
      killTimer ??= setTimeout(() => signalGroup(pid, 'SIGKILL'), this.deps.stopGraceMs ?? 5_000);
    };
    return { instanceId, branch, baseCommit, done, stop };
  }

  async cleanupAbandoned(taskId: string, instanceId: string | undefined): Promise<string[]> {
    const done: string[] = [];
    const pidFile = join(this.taskDir(taskId), 'agent.pid');
    const content = await readFile(pidFile, 'utf8').catch(() => '');
    const [pidText, recorded] = content.trim().split(' ');
    const pid = Number(pidText);
    if (pid > 0 && (instanceId === undefined || recorded === instanceId) && alive(pid)) {
      signalGroup(pid, 'SIGKILL');
      done.push(`killed the abandoned agent process group ${pid} (${recorded ?? 'unknown instance'})`);
    }
    await rm(pidFile, { force: true });
    return done;
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}
