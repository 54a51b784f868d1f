import { afterEach, describe, expect, it } from 'vitest';
import { taskConsoleEngines } from '../../src/app/console/console-engines.js';
import { createConsoleAdapters } from '../../src/app/console/index.js';
import { findTasks } from '../../src/projections/tasks.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

let home: TempHome | undefined;
afterEach(() => home?.cleanup());

describe('console task actions', () => {
  it('cancel and retry from the queue pane run the task decider and are recorded as the console', async () => {
    home = tempHome('jackin-console-tasks-');
    const app = testApp(home);
    const { store } = await app.eventLog();
    await store.append(
      'task-t9',
      [
        {
          type: 'TaskQueued',
          data: {
            taskId: 't9',
            source: { kind: 'prompt' },
            workspace: 'alpha',
            role: 'agent-smith',
            runtime: 'claude',
            prompt: 'p',
            priority: 0,
            limits: {},
          },
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    const adapters = await createConsoleAdapters(app, {
      sampler: { sample: () => Promise.resolve(new Map()) },
      engines: taskConsoleEngines(store),
    });
    const actions = adapters.actions({ suspend: (work) => work() });
    await actions.cancelTask('t9');
    expect(findTasks(store.db, 't9')[0]?.state).toBe('cancelled');
    await actions.retryTask('t9');
    expect(findTasks(store.db, 't9')[0]?.state).toBe('queued');
    const events = await store.readStream('task-t9');
    expect(events.map((e) => e.type)).toEqual(['TaskQueued', 'TaskCancelled', 'TaskRetried']);
    expect(events.slice(1).map((e) => e.metadata.actor)).toEqual(['console', 'console']);
    await expect(actions.cancelTask('nope')).rejects.toMatchObject({ code: 'not_found' });
    adapters.close();
    await app.close();
  });
});
