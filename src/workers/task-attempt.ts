import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAgentTags } from '../kernel/agent-tags.js';
import { TaskTransitionError } from '../domain/task.js';
import type { Backoff, FailureReason, TaskCommand, TaskLimits } from '../domain/task.js';
import { executeTaskCommand } from '../engine/task/execute.js';
import type { Executed } from '../engine/task/execute.js';
import { addLinkFromUrl } from '../engine/task/links.js';
import type { PublishInput } from '../engine/task/publish.js';
import type { RunningTask, TaskRunResult, TaskRunner } from '../engine/task/runner.js';
import type { Actor } from '../events/envelope.js';
import type { EventStore } from '../events/store.js';
import type { Clock } from '../kernel/clock.js';
import type { Logger } from '../logging/logger.js';

export interface AttemptDeps {
  readonly store: EventStore;
  readonly runner: TaskRunner;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `~/.jackin/logs/tasks`. */
  readonly taskLogDir: string;
  readonly workerId: string;
  readonly leaseMs: number;
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly taskTimeoutMs: number;
  readonly blockedTimeoutMs: number;
  /** One line per step for the operator (stdout of `queue run`). */
  report(line: string): void;
  /** After a success with commits: push and open a draft PR when the role allows it (src/engine/task/publish.ts). */
  readonly publish?: ((input: PublishInput, actor: Actor) => Promise<readonly string[]>) | undefined;
}

/** A claim this worker holds: what it runs, and what a reclaimed predecessor left. */
export interface ClaimedAttempt {
  readonly taskId: string;
  readonly attempt: number;
  readonly prompt: string;
  readonly runtime: string;
  readonly role: string;
  readonly workspace: string;
  readonly limits: TaskLimits;
  /** Set when this claim took over an expired lease: the previous attempt's instance, if it started. */
  readonly reclaimedInstance: string | undefined;
  readonly reclaimed: boolean;
}

export type AttemptOutcome = 'succeeded' | 'failed' | 'dead_lettered' | 'cancelled' | 'lost';

/** Why this worker stopped the agent early, when it did. */
type StopReason = { reason: 'timeout' | 'blocked_too_long'; message: string } | { reason: 'interrupted' };

/**
 * Runs one claimed attempt to its recorded outcome: starts the agent through the runner, renews the
 * lease, streams output to the task log, turns agent tags into events, enforces the timeouts.
 */
export class TaskAttempt {
  private readonly actor: Actor;
  private running: RunningTask | undefined;
  private stopReason: StopReason | undefined;
  private lost = false;
  private appends: Promise<unknown> = Promise.resolve();
  private readonly links: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private blockedTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: AttemptDeps,
    readonly claim: ClaimedAttempt,
  ) {
    this.actor = `worker:${deps.workerId}`;
  }

  /** Second SIGINT: stop the agent now and record the task as cancelled. */
  interrupt(): void {
    this.stop({ reason: 'interrupted' });
  }

  async run(): Promise<AttemptOutcome> {
    const { deps, claim } = this;
    await mkdir(deps.taskLogDir, { recursive: true });
    const log = createWriteStream(join(deps.taskLogDir, `${claim.taskId}.log`), { flags: 'a' });
    log.write(`--- attempt ${claim.attempt} by ${deps.workerId} at ${deps.clock.now().toISOString()}\n`);
    const renewal = setInterval(() => this.renew(), Math.max(50, Math.floor(deps.leaseMs / 3)));
    this.timers.add(renewal);
    try {
      const cleanedUp = claim.reclaimed
        ? await deps.runner.cleanupAbandoned(claim.taskId, claim.reclaimedInstance)
        : [];
      const started = Date.now();
      try {
        this.running = await deps.runner.start(claim, {
          onLine: (line) => {
            log.write(`${line}\n`);
            this.onLine(line);
          },
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.write(`launch failed: ${message}\n`);
        return await this.fail('launch_failure', message, undefined, []);
      }
      if (this.stopReason || this.lost) this.running.stop();
      await this.record({
        type: 'StartTask',
        ...this.lease(),
        instanceId: this.running.instanceId,
        branch: this.running.branch,
        baseCommit: this.running.baseCommit,
        runner: deps.runner.name,
        cleanedUp,
      });
      deps.report(`${claim.taskId}: started attempt ${claim.attempt} (${this.running.instanceId})`);
      this.timers.add(
        setTimeout(
          () => this.stop({ reason: 'timeout', message: `ran longer than ${deps.taskTimeoutMs} ms` }),
          deps.taskTimeoutMs,
        ),
      );
      const result = await this.running.done;
      log.write(`--- exit ${result.exitCode}${result.signal ? ` (${result.signal})` : ''}\n`);
      return await this.outcome(result, Date.now() - started);
    } finally {
      for (const timer of this.timers) clearTimeout(timer);
      clearTimeout(this.blockedTimer);
      await this.appends.catch(() => undefined);
      await new Promise<void>((resolve) => log.end(resolve));
    }
  }

  private lease(): { workerId: string; attempt: number } {
    return { workerId: this.deps.workerId, attempt: this.claim.attempt };
  }

  private stop(reason: StopReason): void {
    this.stopReason ??= reason;
    this.running?.stop();
  }

  /** Appends for this task in order; a refusal means the lease is gone (cancelled or reclaimed). */
  private record(command: TaskCommand): Promise<Executed | undefined> {
    const next = this.appends.then(async () => {
      if (this.lost) return undefined;
      try {
        return await executeTaskCommand(this.deps.store, this.claim.taskId, command, { actor: this.actor });
      } catch (error) {
        if (!(error instanceof TaskTransitionError)) throw error;
        this.lost = true;
        this.deps.report(`${this.claim.taskId}: lost the task (${error.message}); stopping the agent`);
        this.running?.stop();
        return undefined;
      }
    });
    this.appends = next.catch((error: unknown) =>
      this.deps.logger.error({ err: error }, 'task append failed'),
    );
    return next;
  }

  private renew(): void {
    void this.record({
      type: 'RenewLease',
      ...this.lease(),
      now: this.deps.clock.now(),
      leaseMs: this.deps.leaseMs,
    }).catch(() => undefined);
  }

  private onLine(line: string): void {
    for (const tag of parseAgentTags(line)) {
      if (tag.kind === 'status') {
        void this.record({
          type: 'ReportAgentStatus',
          ...this.lease(),
          state: tag.state,
          reason: tag.reason,
        }).catch(() => undefined);
        if (tag.state !== 'blocked') {
          clearTimeout(this.blockedTimer);
          this.blockedTimer = undefined;
        } else {
          this.blockedTimer ??= setTimeout(
            () =>
              this.stop({
                reason: 'blocked_too_long',
                message: `blocked for ${this.deps.blockedTimeoutMs} ms: ${tag.reason ?? 'no reason given'}`,
              }),
            this.deps.blockedTimeoutMs,
          );
        }
        continue;
      }
      this.links.push(tag.url);
      const origin = { via: 'tag' as const, taskId: this.claim.taskId, instanceId: this.running?.instanceId };
      this.appends = this.appends
        .then(() => addLinkFromUrl(this.deps.store, tag.url, origin, this.actor))
        .catch((error: unknown) => this.deps.logger.warn({ err: error, url: tag.url }, 'link not recorded'));
    }
  }

  private async outcome(result: TaskRunResult, durationMs: number): Promise<AttemptOutcome> {
    await this.appends.catch(() => undefined);
    const { taskId } = this.claim;
    if (this.lost) return 'lost';
    const stop = this.stopReason;
    if (stop?.reason === 'interrupted') {
      await executeTaskCommand(
        this.deps.store,
        taskId,
        { type: 'CancelTask', reason: `worker ${this.deps.workerId} was stopped (second SIGINT)` },
        { actor: this.actor },
      );
      this.deps.report(
        `${taskId}: cancelled (worker interrupted); requeue with \`jackin task retry ${taskId}\``,
      );
      return 'cancelled';
    }
    if (stop) return this.fail(stop.reason, stop.message, result.exitCode, result.commits);
    if (result.oomKilled)
      return this.fail('oom', 'the agent was killed: out of memory', result.exitCode, result.commits);
    if (result.exitCode !== 0) {
      return this.fail(
        'exit_code',
        `the agent exited with ${result.exitCode}`,
        result.exitCode,
        result.commits,
      );
    }
    await this.record({
      type: 'CompleteTask',
      ...this.lease(),
      exitCode: result.exitCode,
      branch: result.branch,
      commits: result.commits,
      links: [...new Set(this.links)],
      durationMs,
    });
    if (this.lost) return 'lost';
    this.deps.report(
      `${taskId}: succeeded (exit 0, ${result.commits.length} commit(s) on ${result.branch}${this.links.length ? `, links ${[...new Set(this.links)].join(' ')}` : ''})`,
    );
    if (this.deps.publish && result.commits.length > 0) await this.publish(result);
    return 'succeeded';
  }

  /** Push / draft PR after the success is recorded; a failure is reported, never the task's outcome. */
  private async publish(result: TaskRunResult): Promise<void> {
    const { claim } = this;
    try {
      const lines = await this.deps.publish!(
        {
          taskId: claim.taskId,
          attempt: claim.attempt,
          role: claim.role,
          workspace: claim.workspace,
          branch: result.branch,
          commits: result.commits,
        },
        this.actor,
      );
      for (const line of lines) this.deps.report(line);
    } catch (error) {
      this.deps.logger.warn({ err: error, task: claim.taskId }, 'publishing the task failed');
      this.deps.report(`${claim.taskId}: publishing failed: ${(error as Error).message}`);
    }
  }

  private async fail(
    reason: FailureReason,
    message: string,
    exitCode: number | undefined,
    commits: readonly string[],
  ): Promise<AttemptOutcome> {
    const executed = await this.record({
      type: 'FailTask',
      ...this.lease(),
      now: this.deps.clock.now(),
      reason,
      message,
      exitCode,
      commits,
      maxAttempts: this.deps.maxAttempts,
      backoff: this.deps.backoff,
    });
    if (!executed) return 'lost';
    const deadLettered = executed.state.status === 'dead_lettered';
    const nextAt = executed.state.nextAttemptAt;
    this.deps.report(
      `${this.claim.taskId}: attempt ${this.claim.attempt} failed (${reason}: ${message})${deadLettered ? '; dead-lettered' : nextAt ? `; retry at ${nextAt}` : ''}`,
    );
    return deadLettered ? 'dead_lettered' : 'failed';
  }
}
