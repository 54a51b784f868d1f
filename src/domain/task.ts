import type { z } from 'zod';
import type { EventData, NewEvent, RecordedEvent } from '../events/envelope.js';
import type { FAILURE_REASONS, taskLimitsSchema, taskSourceSchema } from '../events/catalog/task.js';
import { JackinError } from '../kernel/errors.js';

export type TaskStatus =
  'none' | 'queued' | 'claimed' | 'running' | 'retry_wait' | 'succeeded' | 'cancelled' | 'dead_lettered';
export type FailureReason = (typeof FAILURE_REASONS)[number];
export type TaskSource = z.infer<typeof taskSourceSchema>;
export type TaskLimits = z.infer<typeof taskLimitsSchema>;

/** What the decider needs to know about one task, folded from its stream. */
export interface TaskState {
  readonly status: TaskStatus;
  readonly taskId: string | undefined;
  /** The number of the latest claim (1-based; 0 = never claimed). */
  readonly attempt: number;
  /** Failed attempts since the task was queued or last retried (expired leases count). */
  readonly failures: number;
  readonly workerId: string | undefined;
  readonly leaseExpiresAt: string | undefined;
  readonly nextAttemptAt: string | undefined;
  readonly instanceId: string | undefined;
}

export const initialState: TaskState = {
  status: 'none',
  taskId: undefined,
  attempt: 0,
  failures: 0,
  workerId: undefined,
  leaseExpiresAt: undefined,
  nextAttemptAt: undefined,
  instanceId: undefined,
};

export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 30_000, capMs: 30 * 60_000 };

/** Capped exponential backoff: base, 2×base, 4×base, … never more than cap. `failures` counts from 1. */
export function backoffDelayMs(failures: number, backoff: Backoff): number {
  const exponent = Math.max(0, failures - 1);
  return Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.min(exponent, 30));
}

/** Failure classes worth another attempt. A launch failure may be transient (busy Docker, git lock). */
export function isRetryable(reason: FailureReason): boolean {
  return reason !== 'blocked_too_long';
}

interface WorkerCommand {
  readonly workerId: string;
  readonly attempt: number;
}

export type TaskCommand =
  | ({ readonly type: 'QueueTask' } & EventData<'TaskQueued'>)
  | {
      readonly type: 'ClaimTask';
      readonly workerId: string;
      readonly now: Date;
      readonly leaseMs: number;
      readonly maxAttempts: number;
    }
  | ({ readonly type: 'RenewLease'; readonly now: Date; readonly leaseMs: number } & WorkerCommand)
  | ({
      readonly type: 'StartTask';
      readonly instanceId: string;
      readonly branch: string;
      readonly baseCommit: string | undefined;
      readonly runner: string;
      readonly cleanedUp: readonly string[];
    } & WorkerCommand)
  | ({
      readonly type: 'ReportAgentStatus';
      readonly state: EventData<'TaskAgentStatusChanged'>['state'];
      readonly reason: string | undefined;
    } & WorkerCommand)
  | ({
      readonly type: 'CompleteTask';
      readonly exitCode: number;
      readonly branch: string;
      readonly commits: readonly string[];
      readonly links: readonly string[];
      readonly durationMs: number;
    } & WorkerCommand)
  | ({
      readonly type: 'FailTask';
      readonly now: Date;
      readonly reason: FailureReason;
      readonly message: string;
      readonly exitCode: number | undefined;
      readonly commits: readonly string[];
      readonly maxAttempts: number;
      readonly backoff: Backoff;
    } & WorkerCommand)
  | { readonly type: 'CancelTask'; readonly reason: string }
  | { readonly type: 'RetryTask' };

/** A command the task's current state does not allow (exit code 4: someone else moved it). */
export class TaskTransitionError extends JackinError {
  constructor(
    message: string,
    readonly state: TaskState,
    hint?: string,
  ) {
    super('invalid_transition', message, { hint, details: { status: state.status } });
    this.name = 'TaskTransitionError';
  }
}

const ACTIVE: readonly TaskStatus[] = ['claimed', 'running'];
const CANCELLABLE: readonly TaskStatus[] = ['queued', 'claimed', 'running', 'retry_wait'];
const RETRYABLE: readonly TaskStatus[] = ['retry_wait', 'dead_lettered', 'cancelled'];

function label(state: TaskState): string {
  return `task ${state.taskId ?? '?'} is ${state.status.replace('_', ' ')}`;
}

function requireLease(state: TaskState, command: WorkerCommand): string {
  if (
    !ACTIVE.includes(state.status) ||
    state.workerId !== command.workerId ||
    state.attempt !== command.attempt
  ) {
    throw new TaskTransitionError(
      `${label(state)} (attempt ${state.attempt}, worker ${state.workerId ?? 'none'}); worker ${command.workerId} no longer holds attempt ${command.attempt}`,
      state,
    );
  }
  return state.taskId!;
}

function claim(state: TaskState, command: Extract<TaskCommand, { type: 'ClaimTask' }>): NewEvent[] {
  const taskId = state.taskId!;
  const now = command.now.getTime();
  const leaseExpiresAt = new Date(now + command.leaseMs).toISOString();
  const claimed: NewEvent = {
    type: 'TaskClaimed',
    data: { taskId, workerId: command.workerId, attempt: state.attempt + 1, leaseExpiresAt },
  };
  if (state.status === 'queued') return [claimed];
  if (state.status === 'retry_wait' && Date.parse(state.nextAttemptAt ?? '') <= now) return [claimed];
  if (ACTIVE.includes(state.status) && Date.parse(state.leaseExpiresAt ?? '') <= now) {
    const expired: NewEvent = {
      type: 'TaskLeaseExpired',
      data: {
        taskId,
        previousWorkerId: state.workerId ?? 'unknown',
        attempt: state.attempt,
        leaseExpiredAt: state.leaseExpiresAt ?? command.now.toISOString(),
        ...(state.instanceId === undefined ? {} : { instanceId: state.instanceId }),
      },
    };
    if (state.failures + 1 >= command.maxAttempts) {
      return [
        expired,
        {
          type: 'TaskDeadLettered',
          data: { taskId, attempts: state.failures + 1, lastReason: 'lease_expired' },
        },
      ];
    }
    return [expired, claimed];
  }
  throw new TaskTransitionError(`${label(state)}; it cannot be claimed now`, state);
}

function fail(state: TaskState, command: Extract<TaskCommand, { type: 'FailTask' }>): NewEvent[] {
  const taskId = requireLease(state, command);
  const failures = state.failures + 1;
  const retryable = isRetryable(command.reason);
  const again = retryable && failures < command.maxAttempts;
  const nextAttemptAt = again
    ? new Date(command.now.getTime() + backoffDelayMs(failures, command.backoff)).toISOString()
    : undefined;
  const failed: NewEvent = {
    type: 'TaskFailed',
    data: {
      taskId,
      attempt: command.attempt,
      reason: command.reason,
      message: command.message,
      retryable,
      commits: [...command.commits],
      ...(command.exitCode === undefined ? {} : { exitCode: command.exitCode }),
      ...(nextAttemptAt === undefined ? {} : { nextAttemptAt }),
    },
  };
  if (again) return [failed];
  return [
    failed,
    { type: 'TaskDeadLettered', data: { taskId, attempts: failures, lastReason: command.reason } },
  ];
}

/** Decides which events a command produces against the task's current state, or throws. */
export function decide(command: TaskCommand, state: TaskState): NewEvent[] {
  if (command.type === 'QueueTask') {
    if (state.status !== 'none') {
      throw new TaskTransitionError(`task ${command.taskId} is already queued`, state);
    }
    const { type: _type, ...data } = command;
    return [{ type: 'TaskQueued', data }];
  }
  if (state.status === 'none') throw new TaskTransitionError('no such task', state);
  const taskId = state.taskId!;
  switch (command.type) {
    case 'ClaimTask':
      return claim(state, command);
    case 'RenewLease':
      requireLease(state, command);
      return [
        {
          type: 'TaskLeaseRenewed',
          data: {
            taskId,
            workerId: command.workerId,
            attempt: command.attempt,
            leaseExpiresAt: new Date(command.now.getTime() + command.leaseMs).toISOString(),
          },
        },
      ];
    case 'StartTask':
      requireLease(state, command);
      return [
        {
          type: 'TaskStarted',
          data: {
            taskId,
            attempt: command.attempt,
            workerId: command.workerId,
            instanceId: command.instanceId,
            branch: command.branch,
            runner: command.runner,
            cleanedUp: [...command.cleanedUp],
            ...(command.baseCommit === undefined ? {} : { baseCommit: command.baseCommit }),
          },
        },
      ];
    case 'ReportAgentStatus':
      requireLease(state, command);
      return [
        {
          type: 'TaskAgentStatusChanged',
          data: {
            taskId,
            attempt: command.attempt,
            state: command.state,
            ...(command.reason === undefined ? {} : { reason: command.reason }),
          },
        },
      ];
    case 'CompleteTask':
      requireLease(state, command);
      return [
        {
          type: 'TaskSucceeded',
          data: {
            taskId,
            attempt: command.attempt,
            exitCode: command.exitCode,
            branch: command.branch,
            commits: [...command.commits],
            links: [...command.links],
            durationMs: command.durationMs,
          },
        },
      ];
    case 'FailTask':
      return fail(state, command);
    case 'CancelTask':
      if (!CANCELLABLE.includes(state.status)) {
        throw new TaskTransitionError(`${label(state)}; only unfinished tasks can be cancelled`, state);
      }
      return [{ type: 'TaskCancelled', data: { taskId, reason: command.reason } }];
    case 'RetryTask':
      if (!RETRYABLE.includes(state.status)) {
        throw new TaskTransitionError(
          `${label(state)}; only failed, dead-lettered or cancelled tasks can be retried`,
          state,
        );
      }
      return [{ type: 'TaskRetried', data: { taskId, previousState: state.status } }];
  }
}

type TaskEvent = Extract<NewEvent, { type: `Task${string}` }>;

/** Folds one event into the state. Accepts recorded events and freshly decided ones alike. */
export function evolve(state: TaskState, event: Pick<TaskEvent | RecordedEvent, 'type' | 'data'>): TaskState {
  const e = event as TaskEvent;
  switch (e.type) {
    case 'TaskQueued':
      return { ...initialState, status: 'queued', taskId: e.data.taskId };
    case 'TaskClaimed':
      return {
        ...state,
        status: 'claimed',
        attempt: e.data.attempt,
        workerId: e.data.workerId,
        leaseExpiresAt: e.data.leaseExpiresAt,
        nextAttemptAt: undefined,
        instanceId: undefined,
      };
    case 'TaskLeaseRenewed':
      return { ...state, leaseExpiresAt: e.data.leaseExpiresAt };
    case 'TaskLeaseExpired':
      return { ...state, status: 'queued', failures: state.failures + 1, workerId: undefined };
    case 'TaskStarted':
      return { ...state, status: 'running', instanceId: e.data.instanceId };
    case 'TaskSucceeded':
      return { ...state, status: 'succeeded', workerId: undefined, leaseExpiresAt: undefined };
    case 'TaskFailed':
      return {
        ...state,
        status: e.data.nextAttemptAt === undefined ? state.status : 'retry_wait',
        failures: state.failures + 1,
        workerId: undefined,
        leaseExpiresAt: undefined,
        nextAttemptAt: e.data.nextAttemptAt,
      };
    case 'TaskDeadLettered':
      return { ...state, status: 'dead_lettered', workerId: undefined, leaseExpiresAt: undefined };
    case 'TaskCancelled':
      return { ...state, status: 'cancelled', workerId: undefined, leaseExpiresAt: undefined };
    case 'TaskRetried':
      return { ...state, status: 'queued', failures: 0, nextAttemptAt: undefined };
    default:
      return state;
  }
}

export function foldTask(events: readonly Pick<RecordedEvent, 'type' | 'data'>[]): TaskState {
  return events.reduce(evolve, initialState);
}

/** The stream a task lives on. */
export function taskStream(taskId: string): string {
  return `task-${taskId}`;
}
