import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleAdapters } from '../../src/app/console/index.js';
import type { ConsoleAdapters } from '../../src/app/console/index.js';
import type { App } from '../../src/app/app.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';
import { demoFleetEvents } from './fixtures.js';

let home: TempHome;
let app: App;
let adapters: ConsoleAdapters;

beforeEach(async () => {
  home = tempHome('jackin-console-queue-');
  app = testApp(home);
  const { store } = await app.eventLog();
  for (const event of demoFleetEvents()) {
    await store.append(`instance-${(event.data as { instanceId: string }).instanceId}`, [event], {
      expectedVersion: 'any',
    });
  }
  adapters = await createConsoleAdapters(app, { sampler: { sample: () => Promise.resolve(new Map()) } });
});

afterEach(async () => {
  adapters.close();
  await app.close();
  home.cleanup();
});

describe('queue and links panes over the tasks/links projections', () => {
  it('lists tasks with attempts and the claiming worker, and links attached to their instance', async () => {
    const { store } = await app.eventLog();
    await store.append(
      'task-t1',
      [
        {
          type: 'TaskQueued',
          data: {
            taskId: 't1',
            source: { kind: 'prompt' },
            workspace: 'alpha',
            role: 'agent-smith',
            runtime: 'claude',
            prompt: 'fix the flaky test\nmore',
            priority: 0,
            limits: {},
          },
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    const position = (await adapters.data.snapshot()).position;
    await store.append(
      'task-t1',
      [
        {
          type: 'TaskClaimed',
          data: { taskId: 't1', workerId: 'w-7', attempt: 1, leaseExpiresAt: '2030-01-01T00:00:00.000Z' },
        },
      ],
      { expectedVersion: 'stream_exists' },
    );
    const link = {
      url: 'https://github.com/acme/app/pull/45',
      repo: 'acme/app',
      number: 45,
      kind: 'pull' as const,
    };
    await store.append(
      'link-acme/app#45',
      [{ type: 'LinkAdded', data: { ...link, via: 'tag', instanceId: 'a1' } }],
      {
        expectedVersion: 'no_stream',
      },
    );
    await store.append(
      'link-acme/app#45',
      [{ type: 'LinkStateChanged', data: { ...link, state: 'merged', title: 'Fix it' } }],
      {
        expectedVersion: 'stream_exists',
      },
    );

    const changes = await adapters.data.changesSince(position);
    expect(changes?.tasks?.map((t) => [t.id, t.state, t.title, t.attempts, t.worker])).toEqual([
      ['t1', 'claimed', 'fix the flaky test', 1, 'w-7'],
    ]);
    expect(changes?.links?.map((l) => [l.ref, l.state, l.title, l.subjects])).toEqual([
      ['acme/app#45', 'merged', 'Fix it', ['a1']],
    ]);
    expect(changes?.instances.find((i) => i.id === 'a1')?.link).toEqual({
      ref: 'acme/app#45',
      url: link.url,
      kind: 'pull',
      state: 'merged',
    });

    const view = await adapters.data.snapshot();
    expect(view.queueAvailable).toBe(true);
    expect(view.instances.find((i) => i.id === 'a1')?.link?.state).toBe('merged');
    // Time travel shows the queue as it was: before the claim, t1 was only queued.
    const past = await adapters.data.replayAt(position);
    expect(past.tasks.map((t) => [t.id, t.state, t.worker])).toEqual([['t1', 'queued', null]]);
    expect(past.links).toEqual([]);
  });
});
