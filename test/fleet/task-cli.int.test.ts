import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTask, fleetFixture, readLog } from '../helpers/fleet.js';
import { runCli } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

let home: TempHome;
let repo: string;
beforeAll(() => {
  home = tempHome('jackin-task-cli-');
  repo = fleetFixture(home).repo;
});
afterAll(() => home.cleanup());

const add = (...args: string[]) => runCli(['task', 'add', ...args], home.env);

describe('jackin task add/list/show/cancel/retry', () => {
  it('queues with --json, lists in priority-then-age order, resolves saved workspaces and their limits', () => {
    const workspaces = join(home.env.JACKIN_CONFIG_DIR!, 'workspaces');
    mkdirSync(workspaces, { recursive: true });
    writeFileSync(
      join(workspaces, 'app.toml'),
      `version = "v1alpha9"\nworkdir = "/workspace/app"\ndefault_agent = "scripted"\n[[mounts]]\nsrc = "${repo}"\ndst = "/workspace/app"\n[limits]\nmemory = "2g"\n`,
    );
    const low = add('--workspace', repo, '--role', 'smith', '--agent', 'scripted', '--json', 'first');
    expect(low.code, low.stderr).toBe(0);
    const task = (JSON.parse(low.stdout) as { task: Record<string, unknown> }).task;
    expect(task).toMatchObject({
      state: 'queued',
      priority: 0,
      workspace: repo,
      runtime: 'scripted',
      attempt: 0,
    });
    const saved = add(
      '--workspace',
      'app',
      '--role',
      'smith',
      '--priority',
      '5',
      '--cpus',
      '1.5',
      '--json',
      'urgent',
    );
    expect(saved.code, saved.stderr).toBe(0);
    expect(JSON.parse(saved.stdout)).toMatchObject({
      task: {
        workspace: 'app',
        runtime: 'scripted',
        priority: 5,
        limits: { memory_bytes: 2 * 1024 ** 3, cpus: 1.5 },
      },
    });
    addTask(home, repo, 'second');
    const list = JSON.parse(runCli(['task', 'list', '--json'], home.env).stdout) as {
      tasks: { prompt: string }[];
    };
    expect(list.tasks.map((t) => t.prompt)).toEqual(['urgent', 'first', 'second']);
    const table = runCli(['task', 'list'], home.env).stdout.split('\n');
    expect(table[0]).toMatch(/^ID\s+STATE\s+PRI\s+ATTEMPT/);
    expect(table[1]).toMatch(/queued\s+5\s+0\s+app\s+smith\s+scripted/);
  });

  it('show, cancel and retry move the task and say so; history tells the story', () => {
    const id = addTask(home, repo, 'to cancel');
    const show = runCli(['task', 'show', id.slice(0, 8)], home.env);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toMatch(new RegExp(`^id\\s+${id}\\nstate\\s+queued`));
    expect(show.stdout).toContain(`jackin history ${id}`);
    expect(runCli(['task', 'cancel', id], home.env).stdout).toMatch(`cancelled task ${id}`);
    const again = runCli(['task', 'cancel', id], home.env);
    expect(again.code).toBe(4);
    expect(again.stderr).toMatch(/^jackin: task .* is cancelled; only unfinished tasks can be cancelled/);
    const retried = runCli(['task', 'retry', id, '--json'], home.env);
    expect(JSON.parse(retried.stdout)).toMatchObject({ task: { id, state: 'queued' } });
    const retryQueued = runCli(['task', 'retry', id], home.env);
    expect(retryQueued.code).toBe(4);
    const history = runCli(['history', id], home.env).stdout.trim().split('\n');
    expect(history.map((line) => line.split(/\s+/)[4])).toEqual([
      'TaskQueued',
      'TaskCancelled',
      'TaskRetried',
    ]);
  });

  it.each([
    [['--role', 'r', 'p'], 2, /required option '--workspace <name\|path>' not specified/],
    [['--workspace', 'nope', '--role', 'r', 'p'], 3, /no workspace named 'nope'/],
    [
      ['--workspace', '/does/not/exist', '--role', 'r', 'p'],
      3,
      /workspace path '\/does\/not\/exist' is not a directory/,
    ],
    [['--workspace', '.', '--role', 'r', '--agent', 'gpt9', 'p'], 2, /unknown agent 'gpt9'/],
    [['--workspace', '.', '--role', 'r', '--memory', 'lots', 'p'], 2, /invalid --memory 'lots'/],
    [['--workspace', '.', '--role', 'r', '--cpus', '-1', 'p'], 2, /invalid --cpus '-1'/],
    [['--workspace', '.', '--role', 'r', '--priority', 'high', 'p'], 2, /invalid --priority 'high'/],
    [['--workspace', '.', '--role', 'r', '  '], 2, /the task prompt is empty/],
  ])('task add %j → exit %i, one line and a hint, nothing written', (args, code, message) => {
    const before = readLog(home).length;
    const result = add(...args);
    expect(result.code).toBe(code);
    const lines = result.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^jackin: /);
    expect(lines[0]).toMatch(message);
    expect(lines[1]).toMatch(/^hint: /);
    expect(readLog(home).length).toBe(before);
  });

  it('unknown tasks and bad worker flags', () => {
    const unknown = runCli(['task', 'show', 'zzz', '--json'], home.env);
    expect(unknown.code).toBe(3);
    expect(JSON.parse(unknown.stdout)).toEqual({
      error: { code: 'not_found', message: "no task 'zzz'", hint: 'see `jackin task list`' },
    });
    expect(runCli(['task', 'cancel', 'zzz'], home.env).code).toBe(3);
    expect(runCli(['task', 'list', '--state', 'sleeping'], home.env).code).toBe(2);
    for (const [flag, value] of [
      ['--concurrency', '0'],
      ['--budget-memory', 'big'],
      ['--budget-cpus', 'x'],
      ['--max-attempts', '-2'],
      ['--task-timeout', '10 parsecs'],
    ] as const) {
      const result = runCli(['queue', 'run', '--once', flag, value], home.env);
      expect(result.code, `${flag} ${value}`).toBe(2);
      expect(result.stderr).toMatch(new RegExp(`^jackin: invalid ${flag} '${value}'\\nhint: `));
    }
  });
});
