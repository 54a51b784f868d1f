import { afterEach, describe, expect, it } from 'vitest';
import { surveyInstances } from '../../src/engine/instances/reconcile.js';
import { listInstances } from '../../src/projections/instances.js';
import { LABEL } from '../../src/runtime/labels.js';
import type { ContainerSummary, NetworkSummary, VolumeSummary } from '../../src/runtime/port.js';
import { launchRequested } from '../helpers/instance-events.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.cleanup();
});

const labels = (instance: string, kind: string) => ({
  [LABEL.managed]: 'true',
  [LABEL.kind]: kind,
  [LABEL.instance]: instance,
});
const container = (instance: string, state: string, kind = 'role'): ContainerSummary => ({
  id: `${instance}-${kind}`,
  name: `jackin-${instance}-${kind}`,
  image: 'jackin/role:x',
  imageId: 'sha256:x',
  state,
  labels: labels(instance, kind),
});

describe('surveyInstances (the reconciler, dry)', () => {
  it('reports gone, stopped, interrupted, orphaned and unwatched instances and records nothing', async () => {
    const home = tempHome();
    homes.push(home);
    const app = testApp(home);
    const { store, database } = await app.eventLog();
    const started = (id: string) => [
      launchRequested(id),
      {
        type: 'InstanceContainerStarted' as const,
        data: { instanceId: id, containerId: `${id}-role`, image: 'x' },
      },
    ];
    for (const id of ['ok1', 'nowatch', 'gone', 'stopped', 'task'])
      await store.append(`instance-${id}`, started(id), { expectedVersion: 'no_stream' });
    await store.append('instance-crashed', [launchRequested('crashed')], { expectedVersion: 'no_stream' });
    const db = database.sqlite;
    expect(listInstances(db).filter((r) => r.state === 'running')).toHaveLength(5);
    const before = db.prepare('SELECT count(*) AS n FROM events').get() as { n: number };

    const containers = [
      container('ok1', 'running'),
      container('ok1', 'running', 'dind'),
      container('nowatch', 'running'),
      container('stopped', 'exited'),
      container('task', 'running'),
      container('ghost', 'exited'),
    ];
    const networks: NetworkSummary[] = [
      { id: 'n1', name: 'jackin-ghost-net', labels: labels('ghost', 'network') },
    ];
    const volumes: VolumeSummary[] = [{ name: 'jackin-ok1-certs', labels: labels('ok1', 'certs') }];
    const survey = await surveyInstances(
      {
        db,
        store,
        ownerAlive: () => false,
        runtime: {
          containers: { list: () => Promise.resolve(containers) },
          networks: { list: () => Promise.resolve(networks) },
          volumes: { list: () => Promise.resolve(volumes) },
        },
      },
      { watcherRunning: (row) => row.instance_id === 'ok1', headless: new Set(['task']) },
    );
    expect(survey).toEqual({
      gone: ['gone'],
      stopped: ['stopped'],
      interrupted: ['crashed'],
      orphans: 2,
      unwatched: ['nowatch'],
    });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual(before);
    await app.close();
  });
});
