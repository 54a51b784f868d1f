import type { TaskLimits } from '../../domain/task.js';

/** What a runner needs to run one attempt of a task. */
export interface TaskRunInput {
  readonly taskId: string;
  readonly attempt: number;
  readonly prompt: string;
  readonly runtime: string;
  readonly role: string;
  /** The task's workspace label: a saved workspace name or an absolute host path. */
  readonly workspace: string;
  readonly limits: TaskLimits;
}

export interface RunObserver {
  /** One line of agent output, as it arrives. */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
}

export interface TaskRunResult {
  readonly exitCode: number;
  /** The signal that ended the agent, if one did. */
  readonly signal: string | undefined;
  readonly oomKilled: boolean;
  readonly outputLines: number;
  readonly branch: string;
  /** Commits the agent added on the task branch, oldest first. */
  readonly commits: readonly string[];
  /** Whether the branch/worktree was kept (it has commits). */
  readonly kept: boolean;
}

/** One attempt, running. */
export interface RunningTask {
  readonly instanceId: string;
  readonly branch: string;
  readonly baseCommit: string | undefined;
  readonly done: Promise<TaskRunResult>;
  /** Stops the agent: a polite signal, then a forced one after a grace period. */
  stop(): void;
}

/**
 * Runs a task's agent headless in an isolated place on branch `jackin/task/<id>`. The worker pool
 * only knows this port; src/app picks the implementation (local subprocess now, instances later).
 */
export interface TaskRunner {
  /** Names the implementation in `TaskStarted` (`local-process`, `instance`). */
  readonly name: string;
  /** Prepares the worktree and starts the agent; rejects (a launch failure) when it cannot start. */
  start(input: TaskRunInput, observer: RunObserver): Promise<RunningTask>;
  /** Stops and removes what an abandoned attempt left behind (its worker died); returns what it did. */
  cleanupAbandoned(taskId: string, instanceId: string | undefined): Promise<string[]>;
  /**
   * Once when a worker starts: settles what dead processes left (interrupted launches and ejects,
   * stopped containers, task instances whose worker is gone); returns one line per thing it did.
   */
  reconcile?(): Promise<string[]>;
}

/** The branch every attempt of a task works on. */
export function taskBranch(taskId: string): string {
  return `jackin/task/${taskId}`;
}
