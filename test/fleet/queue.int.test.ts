import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addTask,
  fleetFixture,
  maxConcurrentAttempts,
  readLog,
  startCli,
  waitFor,
} from '../helpers/fleet.js';
import { runCli } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const homes: TempHome[] = [];
const children: ReturnType<typeof startCli>[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  for (const home of homes.splice(0)) home.cleanup();
});

function setup(): { home: TempHome; repo: string } {
  const home = tempHome('jackin-fleet-');
  homes.push(home);
  return { home, ...fleetFixture(home) };
}

function tasksJson(
  home: TempHome,
): { id: string; state: string; attempt: number; commits: string[]; links: string[] }[] {
  const result = runCli(['task', 'list', '--json'], home.env);
  expect(result.code, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { tasks: never[] }).tasks;
}

describe('jackin queue run (scripted runtime, real git, real processes)', () => {
  it('12 tasks at concurrency 3 all complete, never more than 3 at once, each on its own branch with its commit', () => {
    const { home, repo } = setup();
    const ids = Array.from({ length: 12 }, (_, i) =>
      addTask(home, repo, `sleep=250 commit pr=https://github.com/o/r/pull/${i + 1}`),
    );
    const run = runCli(
      ['queue', 'run', '--once', '--concurrency', '3', '--poll', '50ms', '--json'],
      home.env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ worker: { claimed: 12, succeeded: 12, failed: 0 } });
    const tasks = tasksJson(home);
    expect(tasks.map((t) => t.state)).toEqual(Array(12).fill('succeeded'));
    const log = readLog(home);
    const max = maxConcurrentAttempts(log);
    expect(max).toBeLessThanOrEqual(3);
    expect(max).toBe(3);
    for (const id of ids) {
      const task = tasks.find((t) => t.id === id)!;
      expect(task.commits).toHaveLength(1);
      const subject = execFileSync('git', ['log', '-1', '--format=%s', `jackin/task/${id}`], {
        cwd: repo,
      }).toString();
      expect(subject.trim()).toBe(`work on ${id}`);
      expect(readFileSync(join(home.env.JACKIN_HOME!, 'logs', 'tasks', `${id}.log`), 'utf8')).toContain(
        '<jackin:pr',
      );
    }
    const links = JSON.parse(runCli(['links', '--json'], home.env).stdout) as {
      links: { kind: string; task: string }[];
    };
    expect(links.links).toHaveLength(12);
    expect(links.links.every((l) => l.kind === 'pull' && ids.includes(l.task))).toBe(true);
    expect(runCli(['events', 'verify'], home.env).code).toBe(0);
  });

  it('retries failures with capped exponential backoff, then dead-letters; a flaky task succeeds on attempt 2', () => {
    const { home, repo } = setup();
    const broken = addTask(home, repo, 'exit=3');
    const flaky = addTask(home, repo, 'fail-first=1 commit');
    const run = runCli(
      ['queue', 'run', '--once', '--max-attempts', '3', '--retry-backoff', '300ms', '--poll', '50ms'],
      home.env,
    );
    expect(run.code, run.stderr).toBe(0);
    const failures = readLog(home, ['TaskFailed']).filter((e) => e.data.taskId === broken);
    expect(failures.map((f) => f.data.attempt)).toEqual([1, 2, 3]);
    expect(failures.every((f) => f.data.reason === 'exit_code' && f.data.exitCode === 3)).toBe(true);
    const delays = failures
      .slice(0, 2)
      .map((f) => Date.parse(f.data.nextAttemptAt as string) - Date.parse(f.recordedAt));
    // The decision's clock reading precedes the append's by a few ms.
    expect(delays[0]).toBeGreaterThan(250);
    expect(delays[0]).toBeLessThanOrEqual(300);
    expect(delays[1]).toBeGreaterThan(550);
    expect(delays[1]).toBeLessThanOrEqual(600);
    expect(failures[2]!.data.nextAttemptAt).toBeUndefined();
    // The next claim never came before the scheduled time.
    const claims = readLog(home, ['TaskClaimed']).filter((e) => e.data.taskId === broken);
    expect(Date.parse(claims[1]!.recordedAt)).toBeGreaterThanOrEqual(
      Date.parse(failures[0]!.data.nextAttemptAt as string),
    );
    const dead = readLog(home, ['TaskDeadLettered']);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.data).toMatchObject({ taskId: broken, attempts: 3, lastReason: 'exit_code' });
    const tasks = tasksJson(home);
    expect(tasks.find((t) => t.id === broken)).toMatchObject({ state: 'dead_lettered', attempt: 3 });
    expect(tasks.find((t) => t.id === flaky)).toMatchObject({ state: 'succeeded', attempt: 2 });
    // The operator puts it back: a fresh attempt budget.
    const retry = runCli(['task', 'retry', broken, '--json'], home.env);
    expect(JSON.parse(retry.stdout)).toMatchObject({ task: { state: 'queued', failures: 0 } });
  });

  it('budget: with --budget-memory fitting two tasks, never more than two run at once', () => {
    const { home, repo } = setup();
    for (let i = 0; i < 6; i++) addTask(home, repo, 'sleep=300', ['--memory', '1g']);
    addTask(home, repo, 'sleep=10', ['--memory', '8g']);
    const run = runCli(
      ['queue', 'run', '--once', '--concurrency', '4', '--budget-memory', '2g', '--poll', '50ms'],
      home.env,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(maxConcurrentAttempts(readLog(home))).toBe(2);
    expect(run.stdout).toMatch(/skipped, needs 8g of memory, the budget is 2g/);
    const states = tasksJson(home).map((t) => t.state);
    expect(states.filter((s) => s === 'succeeded')).toHaveLength(6);
    expect(states.filter((s) => s === 'queued')).toHaveLength(1);
  });

  it('two queue run processes at once never run the same task', async () => {
    const { home, repo } = setup();
    const ids = Array.from({ length: 16 }, () => addTask(home, repo, 'sleep=100 commit'));
    const args = ['queue', 'run', '--once', '--concurrency', '3', '--poll', '20ms', '--json'];
    const workers = [startCli(args, home.env), startCli(args, home.env)];
    children.push(...workers);
    const results = await Promise.all(workers.map((w) => w.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const summaries = results.map(
      (r) => (JSON.parse(r.stdout) as { worker: { id: string; claimed: number } }).worker,
    );
    expect(summaries[0]!.claimed + summaries[1]!.claimed).toBe(16);
    const started = readLog(home, ['TaskStarted']);
    const claimed = readLog(home, ['TaskClaimed']);
    expect(started).toHaveLength(16);
    expect(claimed).toHaveLength(16);
    expect(new Set(started.map((e) => e.data.taskId)).size).toBe(16);
    expect(new Set(claimed.map((e) => e.data.workerId))).toEqual(new Set(summaries.map((s) => s.id)));
    expect(tasksJson(home).every((t) => t.state === 'succeeded' && t.attempt === 1)).toBe(true);
    expect(ids).toHaveLength(16);
  });

  it('SIGKILLed worker: a second worker reclaims the expired lease, kills the leftover agent, and the log explains it', async () => {
    const { home, repo } = setup();
    const pids = join(home.dir, 'agent-pids');
    const env = { ...home.env, SCRIPTED_AGENT_PIDS: pids };
    const id = addTask(home, repo, 'sleep-first=60000 commit');
    const first = startCli(['queue', 'run', '--lease', '1s', '--poll', '50ms'], env);
    children.push(first);
    await waitFor(() => existsSync(pids), 20_000, 'the first agent');
    first.child.kill('SIGKILL');
    await first.done;
    const orphan = Number(readFileSync(pids, 'utf8').trim());
    expect(() => process.kill(orphan, 0)).not.toThrow();
    const second = runCli(['queue', 'run', '--once', '--lease', '5s', '--poll', '50ms'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/lease of .* expired; taking it over/);
    await waitFor(
      () => {
        try {
          process.kill(orphan, 0);
          return false;
        } catch {
          return true;
        }
      },
      5000,
      'the orphaned agent to die',
    );
    const story = readLog(home)
      .filter((e) => e.stream === `task-${id}`)
      .map((e) => e.type)
      .filter((t) => t !== 'TaskLeaseRenewed');
    expect(story).toEqual([
      'TaskQueued',
      'TaskClaimed',
      'TaskStarted',
      'TaskLeaseExpired',
      'TaskClaimed',
      'TaskStarted',
      'TaskSucceeded',
    ]);
    const restarted = readLog(home, ['TaskStarted']).at(-1)!;
    expect(restarted.data).toMatchObject({ attempt: 2 });
    expect((restarted.data.cleanedUp as string[])[0]).toMatch(
      new RegExp(`killed the abandoned agent process group ${orphan}`),
    );
    const history = runCli(['history', id], home.env);
    expect(history.stdout).toMatch(/TaskLeaseExpired .*previousWorkerId=/);
  });

  it('SIGINT drains: no new claims, running tasks finish; a second SIGINT cancels them cleanly', async () => {
    const { home, repo } = setup();
    for (let i = 0; i < 4; i++) addTask(home, repo, 'sleep=1500 commit');
    const worker = startCli(['queue', 'run', '--concurrency', '2', '--poll', '50ms'], home.env);
    children.push(worker);
    await waitFor(() => readLog(home, ['TaskStarted']).length === 2, 20_000, 'two starts');
    worker.child.kill('SIGINT');
    const drained = await worker.done;
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stderr).toMatch(/draining/);
    let states = tasksJson(home)
      .map((t) => t.state)
      .sort();
    expect(states).toEqual(['queued', 'queued', 'succeeded', 'succeeded']);

    const second = startCli(['queue', 'run', '--concurrency', '2', '--poll', '50ms'], home.env);
    children.push(second);
    await waitFor(() => readLog(home, ['TaskStarted']).length === 4, 20_000, 'two more starts');
    second.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    second.child.kill('SIGINT');
    const cancelled = await second.done;
    expect(cancelled.code, cancelled.stderr).toBe(0);
    states = tasksJson(home)
      .map((t) => t.state)
      .sort();
    expect(states).toEqual(['cancelled', 'cancelled', 'succeeded', 'succeeded']);
    const reasons = readLog(home, ['TaskCancelled']).map((e) => e.data.reason);
    expect(reasons.every((r) => /second SIGINT/.test(String(r)))).toBe(true);
    expect(readLog(home, ['TaskSucceeded'])).toHaveLength(2);
  });
});
