import { describe, expect, it } from 'vitest';
import {
  TaskTransitionError,
  backoffDelayMs,
  decide,
  foldTask,
  initialState,
} from '../../src/domain/task.js';
import type { TaskCommand } from '../../src/domain/task.js';
import type { NewEvent } from '../../src/events/envelope.js';

const T0 = new Date('2026-11-01T10:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const backoff = { baseMs: 1000, capMs: 5000 };

const queued: NewEvent = {
  type: 'TaskQueued',
  data: {
    taskId: 't1',
    source: { kind: 'prompt' },
    workspace: '/repo',
    role: 'smith',
    runtime: 'claude',
    prompt: 'fix it',
    priority: 0,
    limits: {},
  },
};
const claimed = (worker: string, attempt: number, leaseMs = 30_000, now = T0): NewEvent => ({
  type: 'TaskClaimed',
  data: {
    taskId: 't1',
    workerId: worker,
    attempt,
    leaseExpiresAt: new Date(now.getTime() + leaseMs).toISOString(),
  },
});
const started = (worker: string, attempt: number): NewEvent => ({
  type: 'TaskStarted',
  data: {
    taskId: 't1',
    attempt,
    workerId: worker,
    instanceId: `i${attempt}`,
    branch: 'jackin/task/t1',
    runner: 'local-process',
    cleanedUp: [],
  },
});
const failed = (attempt: number, nextAttemptAt?: string): NewEvent => ({
  type: 'TaskFailed',
  data: {
    taskId: 't1',
    attempt,
    reason: 'exit_code',
    message: 'exit 1',
    retryable: true,
    commits: [],
    ...(nextAttemptAt ? { nextAttemptAt } : {}),
  },
});

/** Given(events) / When(command) / Then(events | error). */
function given(...history: NewEvent[]) {
  const state = foldTask(history as never);
  return {
    when: (command: TaskCommand) => ({
      then: (expected: readonly { type: string; data?: Record<string, unknown> }[]) =>
        expect(decide(command, state)).toMatchObject(expected as NewEvent[]),
      thenRefused: (message: RegExp) => {
        expect(() => decide(command, state)).toThrow(TaskTransitionError);
        expect(() => decide(command, state)).toThrow(message);
      },
    }),
  };
}

const claim = (workerId: string, now = T0, maxAttempts = 3): TaskCommand => ({
  type: 'ClaimTask',
  workerId,
  now,
  leaseMs: 30_000,
  maxAttempts,
});
const fail = (
  workerId: string,
  attempt: number,
  now: Date,
  maxAttempts = 3,
  reason: 'exit_code' | 'blocked_too_long' = 'exit_code',
): TaskCommand => ({
  type: 'FailTask',
  workerId,
  attempt,
  now,
  reason,
  message: 'boom',
  exitCode: 1,
  commits: [],
  maxAttempts,
  backoff,
});

describe('task decider', () => {
  it('queues a new task once; a second QueueTask on the same stream is refused', () => {
    const queue = { type: 'QueueTask', ...queued.data } as TaskCommand;
    given()
      .when(queue)
      .then([{ type: 'TaskQueued', data: { taskId: 't1', priority: 0 } }]);
    given(queued)
      .when(queue)
      .thenRefused(/already queued/);
  });

  it('claims a queued task as attempt 1 with a lease', () => {
    given(queued)
      .when(claim('w1'))
      .then([
        {
          type: 'TaskClaimed',
          data: { workerId: 'w1', attempt: 1, leaseExpiresAt: at(30_000).toISOString() },
        },
      ]);
  });

  it('refuses a second claim while the lease holds (the exclusive claim)', () => {
    given(queued, claimed('w1', 1))
      .when(claim('w2', at(29_999)))
      .thenRefused(/cannot be claimed now/);
  });

  it('takes over an expired lease: TaskLeaseExpired then TaskClaimed as the next attempt', () => {
    given(queued, claimed('w1', 1), started('w1', 1))
      .when(claim('w2', at(30_000)))
      .then([
        { type: 'TaskLeaseExpired', data: { previousWorkerId: 'w1', attempt: 1, instanceId: 'i1' } },
        { type: 'TaskClaimed', data: { workerId: 'w2', attempt: 2 } },
      ]);
  });

  it('dead-letters instead of reclaiming when expired leases used up the attempts', () => {
    given(queued, claimed('w1', 1))
      .when(claim('w2', at(31_000), 1))
      .then([
        { type: 'TaskLeaseExpired' },
        { type: 'TaskDeadLettered', data: { lastReason: 'lease_expired' } },
      ]);
  });

  it('only the lease holder may start, renew, report or finish', () => {
    const history = [queued, claimed('w1', 1)];
    given(...history)
      .when({ type: 'RenewLease', workerId: 'w2', attempt: 1, now: T0, leaseMs: 1000 })
      .thenRefused(/no longer holds/);
    given(...history)
      .when({
        type: 'CompleteTask',
        workerId: 'w1',
        attempt: 2,
        exitCode: 0,
        branch: 'b',
        commits: [],
        links: [],
        durationMs: 1,
      })
      .thenRefused(/no longer holds attempt 2/);
    given(...history)
      .when({ type: 'RenewLease', workerId: 'w1', attempt: 1, now: at(10_000), leaseMs: 30_000 })
      .then([{ type: 'TaskLeaseRenewed', data: { leaseExpiresAt: at(40_000).toISOString() } }]);
  });

  it('a failure schedules the next attempt with capped exponential backoff', () => {
    given(queued, claimed('w1', 1), started('w1', 1))
      .when(fail('w1', 1, T0))
      .then([{ type: 'TaskFailed', data: { retryable: true, nextAttemptAt: at(1000).toISOString() } }]);
    given(queued, claimed('w1', 1), failed(1, at(1000).toISOString()), claimed('w1', 2, 30_000, at(1000)))
      .when(fail('w1', 2, at(2000), 5))
      .then([{ type: 'TaskFailed', data: { nextAttemptAt: at(4000).toISOString() } }]);
    expect([1, 2, 3, 4, 5, 40].map((n) => backoffDelayMs(n, backoff))).toEqual([
      1000, 2000, 4000, 5000, 5000, 5000,
    ]);
  });

  it('the last allowed failure dead-letters the task', () => {
    given(
      queued,
      claimed('w1', 1),
      failed(1, at(1).toISOString()),
      claimed('w1', 2),
      failed(2, at(2).toISOString()),
      claimed('w1', 3),
    )
      .when(fail('w1', 3, at(5000)))
      .then([
        { type: 'TaskFailed', data: { attempt: 3, retryable: true } },
        { type: 'TaskDeadLettered', data: { attempts: 3, lastReason: 'exit_code' } },
      ]);
    const events = decide(
      fail('w1', 1, T0, 3, 'blocked_too_long'),
      foldTask([queued, claimed('w1', 1)] as never),
    );
    expect(events.map((e) => e.type)).toEqual(['TaskFailed', 'TaskDeadLettered']);
    expect(events[0]!.data).not.toHaveProperty('nextAttemptAt');
  });

  it('a task waiting for its retry is claimable only once the time has come', () => {
    const history = [queued, claimed('w1', 1), failed(1, at(1000).toISOString())];
    given(...history)
      .when(claim('w2', at(999)))
      .thenRefused(/retry wait/);
    given(...history)
      .when(claim('w2', at(1000)))
      .then([{ type: 'TaskClaimed', data: { attempt: 2 } }]);
  });

  it('cancels unfinished tasks only; retries failed, dead-lettered or cancelled ones only', () => {
    given(queued)
      .when({ type: 'CancelTask', reason: 'no' })
      .then([{ type: 'TaskCancelled' }]);
    const done: NewEvent = {
      type: 'TaskSucceeded',
      data: { taskId: 't1', attempt: 1, exitCode: 0, branch: 'b', commits: [], links: [], durationMs: 5 },
    };
    given(queued, claimed('w1', 1), done)
      .when({ type: 'CancelTask', reason: 'no' })
      .thenRefused(/succeeded/);
    given(queued)
      .when({ type: 'RetryTask' })
      .thenRefused(/only failed/);
    given(queued, { type: 'TaskCancelled', data: { taskId: 't1', reason: 'x' } })
      .when({ type: 'RetryTask' })
      .then([{ type: 'TaskRetried', data: { previousState: 'cancelled' } }]);
  });

  it('a retry resets the attempt budget but keeps numbering attempts', () => {
    const state = foldTask([
      queued,
      claimed('w1', 1),
      failed(1),
      { type: 'TaskDeadLettered', data: { taskId: 't1', attempts: 1, lastReason: 'exit_code' } },
      { type: 'TaskRetried', data: { taskId: 't1', previousState: 'dead_lettered' } },
    ] as never);
    expect(state).toMatchObject({ status: 'queued', failures: 0, attempt: 1 });
    expect(decide(claim('w1'), state)).toMatchObject([{ type: 'TaskClaimed', data: { attempt: 2 } }]);
  });

  it('commands against a task that does not exist are refused', () => {
    expect(() => decide(claim('w1'), initialState)).toThrow(/no such task/);
  });
});
