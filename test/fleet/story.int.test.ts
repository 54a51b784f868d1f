import { afterEach, describe, expect, it } from 'vitest';
import { addTask, fleetFixture, readLog } from '../helpers/fleet.js';
import { runCli } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.cleanup();
});

function setup(): { home: TempHome; repo: string } {
  const home = tempHome('jackin-story-');
  homes.push(home);
  return { home, ...fleetFixture(home) };
}

describe('the story of a task: history and replay', () => {
  it('`jackin history <task>` reads queued → claimed → started → status → link → succeeded, with the link story', () => {
    const { home, repo } = setup();
    const id = addTask(
      home,
      repo,
      'status=working reason=reading commit pr=https://github.com/octo/app/pull/42 issue=https://github.com/octo/app/issues/7',
    );
    const run = runCli(['queue', 'run', '--once', '--poll', '50ms'], home.env);
    expect(run.code, run.stderr).toBe(0);
    const lines = runCli(['history', id], home.env).stdout.trim().split('\n');
    const rows = lines.map((line) => line.split(/\s+/));
    expect(rows.map((r) => [r[3]!.replace(/@\d+$/, ''), r[4]])).toEqual([
      [`task-${id}`, 'TaskQueued'],
      [`task-${id}`, 'TaskClaimed'],
      [`task-${id}`, 'TaskStarted'],
      [`task-${id}`, 'TaskAgentStatusChanged'],
      ['link-octo/app#42', 'LinkAdded'],
      ['link-octo/app#7', 'LinkAdded'],
      [`task-${id}`, 'TaskSucceeded'],
    ]);
    expect(lines[3]).toMatch(/state=working reason=reading/);
    expect(lines[4]).toMatch(new RegExp(`kind=pull via=tag taskId=${id} instanceId=local-${id}-1`));
    expect(lines[6]).toMatch(/exitCode=0 branch=jackin\/task\/\S+ commits=\[1\] links=\[2\]/);
    const json = JSON.parse(runCli(['history', `task-${id}`, '--json'], home.env).stdout) as {
      events: { type: string; metadata: { actor: string } }[];
    };
    expect(json.events).toHaveLength(7);
    expect(json.events[1]!.metadata.actor).toMatch(/^worker:/);
  });

  it('`jackin events replay --until` shows the queue as it was: which task was claimed by whom', () => {
    const { home, repo } = setup();
    const first = addTask(home, repo, 'exit=0', ['--priority', '1']);
    const second = addTask(home, repo, 'exit=0');
    const run = runCli(['queue', 'run', '--once', '--concurrency', '1', '--poll', '50ms'], home.env);
    expect(run.code, run.stderr).toBe(0);
    const claim = readLog(home, ['TaskClaimed'])[0]!;
    expect(claim.data.taskId).toBe(first);
    const replay = runCli(
      ['events', 'replay', '--until', String(claim.position), '--projection', 'tasks', '--json'],
      home.env,
    );
    expect(replay.code, replay.stderr).toBe(0);
    const rows = (
      JSON.parse(replay.stdout) as {
        replay: {
          projections: { tasks: { tasks: { task_id: string; state: string; worker_id: string | null }[] } };
        };
      }
    ).replay.projections.tasks.tasks;
    const byId = Object.fromEntries(rows.map((r) => [r.task_id, r]));
    expect(byId[first]).toMatchObject({ state: 'claimed', worker_id: claim.data.workerId });
    expect(byId[second]).toMatchObject({ state: 'queued', worker_id: null });
    const human = runCli(
      ['events', 'replay', '--until', String(claim.position), '--projection', 'tasks'],
      home.env,
    );
    expect(human.stdout).toMatch(/tasks: tasks \(2\)/);
    const now = JSON.parse(runCli(['task', 'list', '--json'], home.env).stdout) as {
      tasks: { state: string }[];
    };
    expect(now.tasks.map((t) => t.state)).toEqual(['succeeded', 'succeeded']);
  });

  it('timeouts are retried; an agent blocked too long is not', () => {
    const { home, repo } = setup();
    const slow = addTask(home, repo, 'sleep-first=10000');
    const blocked = addTask(home, repo, 'status=blocked reason=needs-credentials sleep=10000');
    const run = runCli(
      [
        'queue',
        'run',
        '--once',
        '--concurrency',
        '2',
        '--task-timeout',
        '500ms',
        '--blocked-timeout',
        '300ms',
        '--retry-backoff',
        '100ms',
        '--poll',
        '50ms',
      ],
      home.env,
    );
    expect(run.code, run.stderr).toBe(0);
    const failures = readLog(home, ['TaskFailed']);
    expect(failures.find((f) => f.data.taskId === slow)!.data).toMatchObject({
      reason: 'timeout',
      retryable: true,
    });
    expect(failures.find((f) => f.data.taskId === blocked)!.data).toMatchObject({
      reason: 'blocked_too_long',
      retryable: false,
    });
    expect(String(failures.find((f) => f.data.taskId === blocked)!.data.message)).toMatch(
      /needs-credentials/,
    );
    const tasks = JSON.parse(runCli(['task', 'list', '--json'], home.env).stdout) as {
      tasks: { id: string; state: string; attempt: number }[];
    };
    expect(tasks.tasks.find((t) => t.id === slow)).toMatchObject({ state: 'succeeded', attempt: 2 });
    expect(tasks.tasks.find((t) => t.id === blocked)).toMatchObject({ state: 'dead_lettered', attempt: 1 });
    expect(runCli(['events', 'verify'], home.env).code).toBe(0);
  });
});
