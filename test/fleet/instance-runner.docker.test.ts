import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sharedImages } from '../helpers/images.js';
import { gitIn, instanceFixture, labelledObjects, scriptedTaskRepo } from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';

let fx: InstanceFixture;
let repo: string;

// The stub runtime's headless command: `commit` edits a file, commits it and prints a PR tag;
// `oom` allocates memory until the kernel stops it (tail buffers /dev/zero looking for a newline).
const SCRIPT = [
  'echo "agent: $1 ($JACKIN_TASK_ID on $JACKIN_TASK_BRANCH)"',
  // What the kernel enforces on this container (cgroup v2, else v1).
  'echo "memory.max $(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"',
  'echo "cpu.max $(cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us)"',
  'case "$1" in',
  '  oom) tail /dev/zero ;;',
  '  *) echo done > result.txt && git add result.txt &&',
  '     git -c user.name=agent -c user.email=agent@example.com commit -qm "task $JACKIN_TASK_ID" &&',
  '     echo \'<jackin:pr url="https://github.com/o/r/pull/7"/>\' ;;',
  'esac',
].join('\n');

const git = (...args: string[]): string => gitIn(repo, ...args);

beforeAll(async () => {
  await sharedImages();
});
beforeEach(() => {
  fx = instanceFixture('jackin-task-');
  repo = scriptedTaskRepo(fx, SCRIPT);
});
afterEach(() => {
  fx.cleanup();
});

function addTask(prompt: string, extra: string[] = []): string {
  const r = fx.cli([
    'task',
    'add',
    '--workspace',
    repo,
    '--role',
    fx.role,
    '--agent',
    'stub',
    ...extra,
    '--json',
    prompt,
  ]);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { task: { id: string } }).task.id;
}

interface StoryEvent {
  type: string;
  stream: string;
  data: Record<string, unknown>;
}

function story(taskId: string): StoryEvent[] {
  const r = fx.cli(['history', taskId, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { events: StoryEvent[] }).events;
}

function jackinContainers(): string[] {
  return fx.instanceIds().flatMap((id) => labelledObjects(id));
}

describe('queue run with the instance runner (stub runtime, real Docker)', () => {
  it('runs a task in a fresh instance on jackin/task/<id>: commit kept, limits enforced, instance ejected', () => {
    const id = addTask('commit', ['--memory', '512m', '--cpus', '1']);
    const run = fx.cli(['queue', 'run', '--once', '--poll', '100ms', '--json'], {
      env: { ...fx.env, JACKIN_TASK_RUNNER: 'auto' },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/instance runner \(Docker answers\)/);

    const events = story(id);
    const types = events.map((e) => e.type);
    const started = events.find((e) => e.type === 'TaskStarted');
    expect(started?.data.runner).toBe('instance');
    const instanceId = String(started?.data.instanceId);
    const succeeded = events.find((e) => e.type === 'TaskSucceeded');
    expect(succeeded?.data.branch).toBe(`jackin/task/${id}`);
    const commits = succeeded?.data.commits as string[];
    expect(commits).toHaveLength(1);
    expect(git('rev-parse', `jackin/task/${id}`)).toBe(commits[0]);
    expect(git('show', `jackin/task/${id}:result.txt`)).toBe('done');
    // The instance's story is part of the task's: launch, container, eject.
    for (const type of ['InstanceLaunchRequested', 'InstanceContainerStarted', 'InstanceEjected'])
      expect(types, type).toContain(type);
    expect(events.filter((e) => e.stream === `instance-${instanceId}`).length).toBeGreaterThan(3);
    // The limits are recorded in the contract the instance ran under...
    const contract = events.find((e) => e.type === 'InstanceLaunchRequested')?.data.contract as {
      limits: { memory: { value: string } | null; cpus: { value: number } | null };
    };
    expect(contract.limits.memory?.value).toBe(String(512 * 1024 * 1024));
    expect(contract.limits.cpus?.value).toBe(1);
    // Agent output streamed to the task log, tags parsed into links.
    const log = readFileSync(join(fx.env.JACKIN_HOME!, 'logs', 'tasks', `${id}.log`), 'utf8');
    expect(log).toContain(`agent: commit (${id} on jackin/task/${id})`);
    // ...and the role container's own cgroup holds the task's limits.
    expect(log).toContain(`memory.max ${512 * 1024 * 1024}`);
    expect(log).toMatch(/cpu\.max (100000 100000|100000)$/m);
    expect(types).toContain('LinkAdded');
    // Nothing labelled by jackin is left; the worktree with the commit is kept.
    expect(jackinContainers()).toEqual([]);
    expect(existsSync(join(fx.env.JACKIN_HOME!, 'data', 'tasks', id, 'worktree', 'result.txt'))).toBe(true);
  });

  it('an agent over its memory limit fails the task with reason oom, enforced by the container', () => {
    const id = addTask('oom', ['--memory', '64m']);
    const run = fx.cli(
      ['queue', 'run', '--once', '--runner', 'instance', '--max-attempts', '1', '--poll', '100ms'],
      { timeoutMs: 300_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    const events = story(id);
    const failed = events.find((e) => e.type === 'TaskFailed');
    expect(failed?.data.reason, JSON.stringify(failed?.data)).toBe('oom');
    expect(events.map((e) => e.type)).toContain('TaskDeadLettered');
    // No commits: the worktree and the branch are gone, and so is the instance.
    expect(git('branch', '--list', `jackin/task/${id}`)).toBe('');
    expect(jackinContainers()).toEqual([]);
  });
});
