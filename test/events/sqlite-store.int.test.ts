import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app/app.js';
import { eventStoreContract } from './event-store.contract.js';
import { sequentialIds, steppingClock, tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';
import { launchRequested } from '../helpers/instance-events.js';
import { listInstances } from '../../src/projections/instances.js';
import { fleetCounts } from '../../src/projections/fleet.js';
import { Projector } from '../../src/projections/projector.js';
import { instancesProjection } from '../../src/projections/instances.js';
import { fleetProjection } from '../../src/projections/fleet.js';
import { readCheckpoint, storeCheckpoint } from '../../src/projections/checkpoints.js';
import { openDatabase } from '../../src/db/open.js';
import { SqliteEventStore } from '../../src/events/sqlite-store.js';
import BetterSqlite3 from 'better-sqlite3';

const homes: TempHome[] = [];
const apps: App[] = [];

afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  for (const home of homes.splice(0)) home.cleanup();
});

eventStoreContract('sqlite', () => {
  const home = tempHome();
  const path = `${home.dir}/contract.db`;
  const opened = openDatabaseSync(path);
  const store = new SqliteEventStore(opened, {
    correlationId: 'corr-1',
    actor: 'operator',
    host: 'test-host',
    jackinVersion: '0.1.0',
    clock: steppingClock(),
    ids: sequentialIds(),
  });
  return {
    store,
    close: () => {
      opened.close();
      home.cleanup();
    },
  };
});

/** The contract factory is synchronous; copy the migrated schema from a template database. */
function openDatabaseSync(path: string): BetterSqlite3.Database {
  const db = new BetterSqlite3(path);
  db.exec(TEMPLATE_SCHEMA);
  return db;
}

const TEMPLATE_SCHEMA = await (async () => {
  const home = tempHome();
  const opened = await openDatabase({ path: `${home.dir}/template.db` });
  const ddl = (
    opened.sqlite
      .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")
      .all() as { sql: string }[]
  )
    .map((r) => `${r.sql};`)
    .join('\n');
  await opened.close();
  home.cleanup();
  return ddl;
})();

describe('SQLite event log with inline projections', () => {
  async function openLog() {
    const home = tempHome();
    homes.push(home);
    const app = testApp(home, { clock: steppingClock(), ids: sequentialIds() });
    apps.push(app);
    return { home, app, log: await app.eventLog() };
  }

  it('updates instances and fleet in the append transaction', async () => {
    const { log } = await openLog();
    await log.store.append('instance-a', [launchRequested('a')], { expectedVersion: 'no_stream' });
    await log.store.append('instance-b', [launchRequested('b', { workspace: 'other' })], {
      expectedVersion: 'no_stream',
    });
    await log.store.append(
      'instance-a',
      [
        {
          type: 'InstanceNetworkCreated',
          data: { instanceId: 'a', networkId: 'n1', networkName: 'jackin-a-net' },
        },
        { type: 'InstanceContainerStarted', data: { instanceId: 'a', containerId: 'c1', image: 'img' } },
        { type: 'AgentStatusChanged', data: { instanceId: 'a', state: 'blocked', reason: 'needs input' } },
      ],
      { expectedVersion: 1 },
    );
    const db = log.database.sqlite;
    const rows = listInstances(db);
    const a = rows.find((r) => r.instance_id === 'a')!;
    expect(a).toMatchObject({
      state: 'running',
      network: 'jackin-a-net',
      container_id: 'c1',
      agent_status: 'blocked',
      agent_reason: 'needs input',
    });
    expect(listInstances(db, { workspace: 'other' }).map((r) => r.instance_id)).toEqual(['b']);
    expect(fleetCounts(db)).toEqual({ total: 2, running: 1, requested: 1 });
  });

  it('rolls the projection back with the append when the transaction fails', async () => {
    const { log } = await openLog();
    await log.store.append('instance-a', [launchRequested('a')], { expectedVersion: 'no_stream' });
    await expect(
      log.store.append(
        'instance-a',
        [{ type: 'InstanceContainerStarted', data: { instanceId: 'a', containerId: 'c', image: 'i' } }],
        {
          expectedVersion: 7,
        },
      ),
    ).rejects.toMatchObject({ code: 'version_conflict' });
    expect(listInstances(log.database.sqlite)[0]!.state).toBe('requested');
  });

  it('rebuilds a projection whose version was bumped, and only that one', async () => {
    const { log } = await openLog();
    await log.store.append('instance-a', [launchRequested('a')], { expectedVersion: 'no_stream' });
    log.database.sqlite.exec("UPDATE instances SET state = 'bogus'");
    const bumped = { ...instancesProjection, version: instancesProjection.version + 1 };
    const projector = new Projector(log.database.sqlite, [bumped, fleetProjection]);
    expect(projector.start()).toEqual(['instances']);
    expect(listInstances(log.database.sqlite)[0]!.state).toBe('requested');
  });

  it('keeps follower checkpoints', async () => {
    const { log } = await openLog();
    expect(readCheckpoint(log.database.sqlite, 'console')).toBe(0);
    storeCheckpoint(log.database.sqlite, 'console', 42, new Date());
    expect(readCheckpoint(log.database.sqlite, 'console')).toBe(42);
  });

  it('stamps one correlation id per invocation (app) on everything it appends', async () => {
    const { app, log } = await openLog();
    await log.store.append('instance-a', [launchRequested('a')], { expectedVersion: 'any' });
    await log.store.append('instance-b', [launchRequested('b')], { expectedVersion: 'any' });
    const events = await log.store.readAll();
    expect(new Set(events.map((e) => e.metadata.correlation_id))).toEqual(
      new Set([app.context.correlationId]),
    );
  });
});
