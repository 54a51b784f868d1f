import { afterEach, describe, expect, it } from 'vitest';
import { instanceJson, renderInstances } from '../../src/cli/render/instance-view.js';
import type { NewEvent } from '../../src/events/envelope.js';
import { listInstances } from '../../src/projections/instances.js';
import { linksOfInstance } from '../../src/projections/links.js';
import { launchRequested } from '../helpers/instance-events.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.cleanup();
});

const ref = (repo: string, number: number, kind: 'issue' | 'pull') => ({
  url: `https://github.com/${repo}/${kind === 'pull' ? 'pull' : 'issues'}/${number}`,
  repo,
  number,
  kind,
});

describe('jackin status: linked issues and pull requests', () => {
  it('shows the links added with the instance id or by the task it runs, with their state', async () => {
    const home = tempHome();
    homes.push(home);
    const app = testApp(home);
    const { store, database } = await app.eventLog();
    await store.append('instance-a1', [launchRequested('a1')], { expectedVersion: 'no_stream' });
    await store.append('instance-b2', [launchRequested('b2')], { expectedVersion: 'no_stream' });
    const task: NewEvent[] = [
      {
        type: 'TaskQueued',
        data: {
          taskId: 't1',
          source: { kind: 'prompt' },
          workspace: 'demo',
          role: 'agent-smith',
          runtime: 'claude',
          prompt: 'fix #12',
          priority: 0,
          limits: {},
        },
      },
      {
        type: 'TaskClaimed',
        data: { taskId: 't1', workerId: 'w1', attempt: 1, leaseExpiresAt: '2030-01-01T00:00:00.000Z' },
      },
      {
        type: 'TaskStarted',
        data: {
          taskId: 't1',
          attempt: 1,
          workerId: 'w1',
          instanceId: 'a1',
          branch: 'jackin/task/t1',
          runner: 'instance',
          cleanedUp: [],
        },
      },
    ];
    await store.append('task-t1', task, { expectedVersion: 'no_stream' });
    // The issue came with the task (no instance id); the pull request was tagged by the agent.
    await store.append(
      'link-acme/app#12',
      [{ type: 'LinkAdded', data: { ...ref('acme/app', 12, 'issue'), via: 'import', taskId: 't1' } }],
      { expectedVersion: 'no_stream' },
    );
    await store.append(
      'link-acme/app#45',
      [
        { type: 'LinkAdded', data: { ...ref('acme/app', 45, 'pull'), via: 'tag', instanceId: 'a1' } },
        { type: 'LinkStateChanged', data: { ...ref('acme/app', 45, 'pull'), state: 'merged' } },
      ],
      { expectedVersion: 'no_stream' },
    );
    // Another task's link belongs to neither instance.
    await store.append(
      'link-acme/app#99',
      [{ type: 'LinkAdded', data: { ...ref('acme/app', 99, 'issue'), via: 'import', taskId: 't9' } }],
      { expectedVersion: 'no_stream' },
    );

    const db = database.sqlite;
    expect(linksOfInstance(db, 'a1').map((l) => [l.number, l.kind, l.state])).toEqual([
      [12, 'issue', 'unknown'],
      [45, 'pull', 'merged'],
    ]);
    expect(linksOfInstance(db, 'b2')).toEqual([]);

    const now = new Date();
    const rows = listInstances(db).map((row) => ({
      row,
      extras: { links: linksOfInstance(db, row.instance_id) },
    }));
    const a1 = rows.find((r) => r.row.instance_id === 'a1')!;
    const json = instanceJson(a1.row, now, a1.extras);
    expect(json).toMatchObject({ cpu_percent: null, memory_bytes: null });
    expect(json.links).toEqual([
      {
        repo: 'acme/app',
        number: 12,
        kind: 'issue',
        state: 'unknown',
        url: 'https://github.com/acme/app/issues/12',
      },
      {
        repo: 'acme/app',
        number: 45,
        kind: 'pull',
        state: 'merged',
        url: 'https://github.com/acme/app/pull/45',
      },
    ]);
    const table = renderInstances(rows, now).split('\n');
    expect(table[0]).toMatch(/UPTIME\s+CPU\s+MEM\s+LINKS$/);
    expect(table.find((l) => l.startsWith('a1'))).toContain(
      'acme/app#12 issue unknown, acme/app#45 pr merged',
    );
    expect(table.find((l) => l.startsWith('b2'))).toMatch(/-\s+-\s+-$/);
    await app.close();
  });
});
