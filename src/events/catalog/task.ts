import { z } from 'zod';
import { defineEvent } from '../define.js';

const taskRef = { taskId: z.string().min(1) };
const attempt = z.number().int().positive();
const isoTime = z.iso.datetime({ offset: true });
/** The pushed branch a publish names, built with the schema that uses it. */
const pushedBranch = () => ({
  ...taskRef,
  attempt,
  branch: z.string().min(1),
  /** The git remote's name (never its URL: it may carry credentials). */
  remote: z.string().min(1),
  commit: z.string().min(1),
});

/** Where a task came from: an operator's prompt or a GitHub issue. */
export const taskSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('prompt') }),
  z.object({
    kind: z.literal('github_issue'),
    repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
    number: z.number().int().positive(),
    url: z.string().url(),
    title: z.string(),
  }),
]);

/** Resource limits a task runs under (and is admitted against the worker's budget with). */
export const taskLimitsSchema = z.object({
  memoryBytes: z.number().int().positive().optional(),
  cpus: z.number().positive().optional(),
});

/** Why an attempt failed; the class decides whether it is retried. */
export const FAILURE_REASONS = [
  'exit_code',
  'timeout',
  'oom',
  'launch_failure',
  'blocked_too_long',
  'lease_expired',
] as const;

/** The fleet task queue. A task is a stream `task-<id>`; a claim is exclusive through its version. */
export const taskEvents = {
  TaskQueued: defineEvent({
    version: 1,
    description: 'A unit of work entered the queue: a prompt, or a GitHub issue to work on.',
    schema: () =>
      z.object({
        ...taskRef,
        source: taskSourceSchema,
        workspace: z.string().min(1),
        role: z.string().min(1),
        runtime: z.string().min(1),
        prompt: z.string().min(1),
        priority: z.number().int().default(0),
        limits: taskLimitsSchema.default({}),
      }),
  }),
  TaskClaimed: defineEvent({
    version: 1,
    description: 'A worker took the task for one attempt, holding a lease until it expires or is renewed.',
    schema: () =>
      z.object({
        ...taskRef,
        workerId: z.string().min(1),
        attempt,
        leaseExpiresAt: isoTime,
      }),
  }),
  TaskLeaseRenewed: defineEvent({
    version: 1,
    description: 'The worker running the task extended its lease.',
    schema: () => z.object({ ...taskRef, workerId: z.string().min(1), attempt, leaseExpiresAt: isoTime }),
  }),
  TaskLeaseExpired: defineEvent({
    version: 1,
    description: 'Another worker found the lease expired (its holder died or hung) and took the task back.',
    schema: () =>
      z.object({
        ...taskRef,
        previousWorkerId: z.string().min(1),
        attempt,
        leaseExpiredAt: isoTime,
        instanceId: z.string().optional(),
      }),
  }),
  TaskStarted: defineEvent({
    version: 1,
    description: 'The agent runs headless in a fresh instance on the task branch.',
    schema: () =>
      z.object({
        ...taskRef,
        attempt,
        workerId: z.string().min(1),
        instanceId: z.string().min(1),
        branch: z.string().min(1),
        baseCommit: z.string().optional(),
        runner: z.string().min(1),
        cleanedUp: z.array(z.string()).default([]),
      }),
  }),
  TaskAgentStatusChanged: defineEvent({
    version: 1,
    description: 'The agent of a running task reported a status tag (working, blocked, idle, done).',
    schema: () =>
      z.object({
        ...taskRef,
        attempt,
        state: z.enum(['working', 'blocked', 'idle', 'done']),
        reason: z.string().optional(),
      }),
  }),
  TaskSucceeded: defineEvent({
    version: 1,
    description: 'The agent exited 0; carries the branch, its new commits and the links it reported.',
    schema: () =>
      z.object({
        ...taskRef,
        attempt,
        exitCode: z.number().int(),
        branch: z.string().min(1),
        commits: z.array(z.string()).default([]),
        links: z.array(z.string()).default([]),
        durationMs: z.number().int().nonnegative(),
      }),
  }),
  TaskFailed: defineEvent({
    version: 1,
    description: 'An attempt failed; retryable failures carry the time of the next attempt (capped backoff).',
    schema: () =>
      z.object({
        ...taskRef,
        attempt,
        reason: z.enum(FAILURE_REASONS),
        message: z.string(),
        exitCode: z.number().int().optional(),
        retryable: z.boolean(),
        nextAttemptAt: isoTime.optional(),
        commits: z.array(z.string()).default([]),
      }),
  }),
  TaskCancelled: defineEvent({
    version: 1,
    description: 'The task was cancelled (by the operator, or by a worker stopped with a second SIGINT).',
    schema: () => z.object({ ...taskRef, reason: z.string() }),
  }),
  TaskDeadLettered: defineEvent({
    version: 1,
    description: 'The task failed too often, or could not be retried; it waits for `jackin task retry`.',
    schema: () => z.object({ ...taskRef, attempts: z.number().int().nonnegative(), lastReason: z.string() }),
  }),
  TaskRetried: defineEvent({
    version: 1,
    description: 'The operator put a failed, dead-lettered or cancelled task back in the queue.',
    schema: () => z.object({ ...taskRef, previousState: z.string() }),
  }),
  TaskPublishRequested: defineEvent({
    version: 1,
    description:
      'Intent: a succeeded task with commits is pushed (its role sets `[task] push = true`), and a draft PR opened for an issue task.',
    schema: () =>
      z.object({
        ...pushedBranch(),
        /** The GitHub repository and issue the draft PR will close, for a task imported from an issue. */
        pullRequest: z.object({ repo: z.string(), closes: z.number().int().positive() }).optional(),
      }),
  }),
  TaskBranchPushed: defineEvent({
    version: 1,
    description: "The task's branch is on the workspace repository's remote.",
    schema: () => z.object(pushedBranch()),
  }),
  TaskPullRequestOpened: defineEvent({
    version: 1,
    description: "A draft pull request from the task's branch, closing the issue the task came from.",
    schema: () =>
      z.object({
        ...taskRef,
        attempt,
        repo: z.string(),
        number: z.number().int().positive(),
        url: z.string().url(),
        base: z.string().min(1),
        draft: z.boolean(),
        closes: z.number().int().positive(),
      }),
  }),
  TaskPublishFailed: defineEvent({
    version: 1,
    description: 'Pushing the branch or opening the pull request failed; the task stays succeeded.',
    schema: () =>
      z.object({
        ...taskRef,
        attempt,
        stage: z.enum(['push', 'pull_request']),
        message: z.string(),
      }),
  }),
} as const;
