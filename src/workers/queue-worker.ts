import { hostname } from 'node:os';
import PQueue from 'p-queue';
import type { SqliteConnection } from '../db/open.js';
import { TaskTransitionError } from '../domain/task.js';
import type { TaskLimits } from '../domain/task.js';
import { executeTaskCommand } from '../engine/task/execute.js';
import type { EventStore } from '../events/store.js';
import type { IdGenerator } from '../kernel/clock.js';
import { claimableTasks } from '../projections/tasks.js';
import type { TaskRow } from '../projections/tasks.js';
import { ResourceBudget } from './budget.js';
import type { BudgetLimits } from './budget.js';
import { TaskAttempt } from './task-attempt.js';
import type { AttemptDeps, AttemptOutcome, ClaimedAttempt } from './task-attempt.js';

export interface WorkerOptions {
  readonly concurrency: number;
  readonly budget: BudgetLimits;
  /** Exit once nothing is left to do (nothing queued, due, or running anywhere). */
  readonly once: boolean;
  /** How often to look for claimable tasks when idle. */
  readonly pollMs: number;
}

export interface WorkerDeps extends Omit<AttemptDeps, 'workerId'> {
  readonly db: SqliteConnection;
  readonly store: EventStore;
  readonly ids: IdGenerator;
}

export type WorkerSummary = Record<AttemptOutcome, number> & { claimed: number };

/** `<host>-<pid>-<random>`: unique per process, readable in `jackin history`. */
export function newWorkerId(ids: IdGenerator): string {
  return `${hostname()}-${process.pid}-${ids.uuid().replace(/-/g, '').slice(0, 4)}`;
}

function limitsOf(row: TaskRow): TaskLimits {
  return {
    ...(row.memory_bytes === null ? {} : { memoryBytes: row.memory_bytes }),
    ...(row.cpus === null ? {} : { cpus: row.cpus }),
  };
}

/**
 * The worker pool: claims tasks in queue order (exclusively, through the stream version), admits
 * them against concurrency and the resource budget, and runs each as a TaskAttempt under p-queue.
 */
export class QueueWorker {
  readonly workerId: string;
  private readonly queue: PQueue;
  private readonly budget: ResourceBudget;
  private readonly attempts = new Set<TaskAttempt>();
  private readonly warned = new Set<string>();
  private draining = false;
  private wake: (() => void) | undefined;
  readonly summary: WorkerSummary = {
    claimed: 0,
    succeeded: 0,
    failed: 0,
    dead_lettered: 0,
    cancelled: 0,
    lost: 0,
  };

  constructor(
    private readonly deps: WorkerDeps,
    private readonly options: WorkerOptions,
    workerId?: string,
  ) {
    this.workerId = workerId ?? newWorkerId(deps.ids);
    this.queue = new PQueue({ concurrency: options.concurrency });
    this.budget = new ResourceBudget(options.budget);
  }

  /** First SIGINT: claim nothing more; running tasks finish. */
  drain(): void {
    this.draining = true;
    this.wake?.();
  }

  /** Second SIGINT: stop every running agent; their tasks are recorded as cancelled. */
  interrupt(): void {
    this.drain();
    for (const attempt of this.attempts) attempt.interrupt();
  }

  get running(): number {
    return this.queue.pending + this.queue.size;
  }

  async run(): Promise<WorkerSummary> {
    await this.reconcile();
    while (!this.draining) {
      await this.admit();
      if (this.options.once && this.running === 0 && !this.workRemains()) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
    await this.queue.onIdle();
    return this.summary;
  }

  /**
   * Once at start, before any claim: the runner settles what dead processes left (instances of a
   * killed worker are reconciled now, not only when their task's lease expires and is reclaimed).
   */
  private async reconcile(): Promise<void> {
    if (!this.deps.runner.reconcile) return;
    try {
      for (const line of await this.deps.runner.reconcile()) this.deps.report(line);
    } catch (error) {
      // Not fatal: the lease reclaim (cleanupAbandoned) still winds up each dead attempt.
      this.deps.logger.warn({ err: error }, 'reconcile at worker start failed');
      this.deps.report(`reconcile failed: ${(error as Error).message}`);
    }
  }

  /** Claims as many tasks as there are free slots and budget for. */
  private async admit(): Promise<void> {
    let free = this.options.concurrency - this.running;
    if (free <= 0) return;
    const now = this.deps.clock.now();
    for (const row of claimableTasks(this.deps.db, now, free + 50)) {
      if (free <= 0 || this.draining) return;
      const limits = limitsOf(row);
      const never = this.budget.whyNever(limits);
      if (never !== undefined) {
        if (!this.warned.has(row.task_id)) this.deps.report(`${row.task_id}: skipped, ${never}`);
        this.warned.add(row.task_id);
        continue;
      }
      if (!this.budget.fitsNow(limits)) continue;
      const claimed = await this.tryClaim(row);
      if (!claimed) continue;
      free -= 1;
      this.budget.reserve(limits);
      this.summary.claimed += 1;
      const attempt = new TaskAttempt({ ...this.deps, workerId: this.workerId }, { ...claimed, limits });
      this.attempts.add(attempt);
      void this.queue
        .add(async () => {
          try {
            this.summary[await attempt.run()] += 1;
          } catch (error) {
            this.deps.logger.error({ err: error, task: row.task_id }, 'task attempt crashed');
            this.deps.report(`${row.task_id}: worker error: ${(error as Error).message}`);
          } finally {
            this.attempts.delete(attempt);
            this.budget.release(limits);
            this.wake?.();
          }
        })
        .catch(() => undefined);
    }
  }

  private async tryClaim(row: TaskRow): Promise<Omit<ClaimedAttempt, 'limits'> | undefined> {
    try {
      const { events } = await executeTaskCommand(
        this.deps.store,
        row.task_id,
        {
          type: 'ClaimTask',
          workerId: this.workerId,
          now: this.deps.clock.now(),
          leaseMs: this.deps.leaseMs,
          maxAttempts: this.deps.maxAttempts,
        },
        { actor: `worker:${this.workerId}`, conflictRetries: 2 },
      );
      let reclaimed = false;
      let reclaimedInstance: string | undefined;
      for (const event of events) {
        if (event.type === 'TaskLeaseExpired') {
          reclaimed = true;
          reclaimedInstance = event.data.instanceId;
          this.deps.report(`${row.task_id}: lease of ${event.data.previousWorkerId} expired; taking it over`);
        }
        if (event.type === 'TaskDeadLettered') {
          this.deps.report(`${row.task_id}: dead-lettered (${event.data.lastReason})`);
          this.summary.dead_lettered += 1;
        }
        if (event.type === 'TaskClaimed') {
          this.deps.report(`${row.task_id}: claimed attempt ${event.data.attempt}`);
          return {
            taskId: row.task_id,
            attempt: event.data.attempt,
            prompt: row.prompt,
            runtime: row.runtime,
            role: row.role,
            workspace: row.workspace,
            reclaimed,
            reclaimedInstance,
          };
        }
      }
      return undefined;
    } catch (error) {
      // Another worker won the race (or the operator cancelled): not ours to run.
      if (error instanceof TaskTransitionError) return undefined;
      throw error;
    }
  }

  /** With --once: is anything still pending that this worker could end up running? */
  private workRemains(): boolean {
    const rows = this.deps.db
      .prepare(
        `SELECT task_id, state, memory_bytes, cpus FROM tasks WHERE state IN ('queued', 'retry_wait', 'claimed', 'running')`,
      )
      .all() as Pick<TaskRow, 'task_id' | 'state' | 'memory_bytes' | 'cpus'>[];
    return rows.some((row) => this.budget.canEverFit(limitsOf(row as TaskRow)));
  }
}
