import { afterEach, describe, expect, it } from 'vitest';
import { logId } from '../../src/db/log-id.js';
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

/** Labels as a launch stamps them; `home` undefined: made by a jackin before home labels. */
const labels = (instance: string, kind: string, home?: string) => ({
  [LABEL.managed]: 'true',
  [LABEL.kind]: kind,
  [LABEL.instance]: instance,
  ...(home === undefined ? {} : { [LABEL.home]: home }),
});
const container = (instance: string, state: string, kind = 'role', home?: string): ContainerSummary => ({
  id: `${instance}-${kind}`,
  name: `jackin-${instance}-${kind}`,
  image: 'jackin/role:x',
  imageId: 'sha256:x',
  state,
  labels: labels(instance, kind, home),
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

    const ours = logId(db);
    // Unlabelled objects of instances this log knows are its own (a jackin before home labels);
    // another home's objects, and unlabelled ones of instances it does not know, are left alone.
    const containers = [
      container('ok1', 'running'),
      container('ok1', 'running', 'dind', ours),
      container('nowatch', 'running', 'role', ours),
      container('stopped', 'exited'),
      container('task', 'running', 'role', ours),
      container('ghost', 'exited', 'role', ours),
      container('gone', 'running', 'role', 'another-home'),
      container('elsewhere', 'running', 'role', 'another-home'),
      container('legacy', 'exited'),
    ];
    const networks: NetworkSummary[] = [
      { id: 'n1', name: 'jackin-ghost-net', labels: labels('ghost', 'network', ours) },
      { id: 'n2', name: 'jackin-elsewhere-net', labels: labels('elsewhere', 'network', 'another-home') },
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
      otherHomes: 3,
      unclaimed: 1,
      unwatched: ['nowatch'],
    });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual(before);
    await app.close();
  });
});
