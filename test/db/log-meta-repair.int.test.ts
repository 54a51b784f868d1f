import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { MIGRATION_COUNT } from '../../src/db/migration-count.js';
import { openDatabase } from '../../src/db/open.js';
import type { SqliteConnection } from '../../src/db/open.js';
import { verifyChain } from '../../src/events/integrity.js';
import { projectionSignature } from '../../src/projections/projector.js';
import { projections } from '../../src/projections/registry.js';
import { diffProjections } from '../../src/projections/verify.js';
import { launchRequested } from '../helpers/instance-events.js';
import { runCli } from '../helpers/run-cli.js';
import { sequentialIds, steppingClock, tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

// Migration 0004: 0001 was edited in place (log_head became log_meta), so a log created by an older
// jackin reached user_version 3 with `log_head` and no `log_meta`, and every command failed with
// "no such table: log_meta". These logs are rebuilt here in both historical shapes of log_head.

const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.cleanup();
});

function newHome(): TempHome {
  const home = tempHome('jackin-logmeta-');
  homes.push(home);
  mkdirSync(home.env.JACKIN_HOME!, { recursive: true });
  return home;
}

const dbOf = (home: TempHome): string => join(home.env.JACKIN_HOME!, 'jackin.db');

/** The first 0001: log_head without `projections`, plus two indexes on events. */
type OldShape = 'log_head' | 'log_head+projections';

/**
 * Turns a log at the current schema into one an older jackin left behind at user_version 3: no log_meta,
 * a log_head row pointing at the newest event (and, in its second shape, the projection signature).
 */
function downgrade(path: string, shape: OldShape, signature = ''): void {
  const db = new BetterSqlite3(path);
  const head = db
    .prepare('SELECT global_position AS position, hash FROM events ORDER BY global_position DESC LIMIT 1')
    .get() as { position: number; hash: string } | undefined;
  const count = (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
  db.exec('DROP TABLE IF EXISTS log_meta');
  if (shape === 'log_head') {
    db.exec(`CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL,
      hash TEXT NOT NULL, count INTEGER NOT NULL)`);
    db.exec('CREATE INDEX events_recorded_at ON events (recorded_at)');
    db.exec('CREATE INDEX events_type ON events (type)');
    if (head) db.prepare('INSERT INTO log_head VALUES (1, ?, ?, ?)').run(head.position, head.hash, count);
  } else {
    db.exec(`CREATE TABLE log_head (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL,
      hash TEXT NOT NULL, count INTEGER NOT NULL, projections TEXT NOT NULL DEFAULT '')`);
    db.prepare('INSERT INTO log_head VALUES (1, ?, ?, ?, ?)').run(
      head?.position ?? 0,
      head?.hash ?? '0'.repeat(64),
      count,
      signature,
    );
  }
  db.pragma('user_version = 3');
  db.close();
}

/** A log with `events` instances launched, then downgraded to an old shape. */
async function oldLog(shape: OldShape, events: number, signature?: string): Promise<TempHome> {
  const home = newHome();
  const app = testApp(home, { clock: steppingClock(), ids: sequentialIds() });
  const { store } = await app.eventLog();
  for (let i = 0; i < events; i++)
    await store.append(`instance-i${i}`, [launchRequested(`i${i}`)], { expectedVersion: 'no_stream' });
  await app.close();
  downgrade(dbOf(home), shape, signature);
  return home;
}

function tableNames(db: SqliteConnection): string[] {
  return (
    db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'log_%' OR name LIKE 'events_%'").all() as {
      name: string;
    }[]
  )
    .map((r) => r.name)
    .sort();
}

/** Every object's DDL: tables, indexes, in name order. */
function schemaOf(db: SqliteConnection): unknown[] {
  return db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name').all();
}

describe('migration 0004 repairs a log whose 0001 created log_head', () => {
  it('reproduces the failure: the old log is at user_version 3 without log_meta', async () => {
    const home = await oldLog('log_head+projections', 0, 'instances:1');
    const db = new BetterSqlite3(dbOf(home), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(tableNames(db)).toEqual(['log_head', 'log_identity']);
    db.close();
  });

  it('carries log_head.projections over to log_meta and drops log_head', async () => {
    const home = await oldLog('log_head+projections', 3, 'instances:1');
    const opened = await openDatabase({ path: dbOf(home) });
    expect(opened.sqlite.pragma('user_version', { simple: true })).toBe(MIGRATION_COUNT);
    expect(tableNames(opened.sqlite)).toEqual(['log_identity', 'log_meta']);
    expect(opened.sqlite.prepare('SELECT id, projections FROM log_meta').all()).toEqual([
      { id: 1, projections: 'instances:1' },
    ]);
    expect(verifyChain(opened.sqlite)).toMatchObject({ events: 3, headPosition: 3, firstProblem: undefined });
    await opened.close();
  });

  it('an empty log_head.projections (or the first log_head, which had none) leaves log_meta empty', async () => {
    for (const shape of ['log_head+projections', 'log_head'] as const) {
      const home = await oldLog(shape, 2, '');
      const opened = await openDatabase({ path: dbOf(home) });
      expect(tableNames(opened.sqlite), shape).toEqual(['log_identity', 'log_meta']);
      expect(opened.sqlite.prepare('SELECT * FROM log_meta').all(), shape).toEqual([]);
      await opened.close();
    }
  });

  it('through the app: the old log opens, appends, reads and verifies (both log_head shapes)', async () => {
    for (const shape of ['log_head+projections', 'log_head'] as const) {
      // A stale signature: the projector must rebuild and record the current set.
      const home = await oldLog(shape, 2, 'instances:1');
      const app = testApp(home, { clock: steppingClock(Date.parse('2026-11-02T00:00:00.000Z')) });
      const { store, database } = await app.eventLog();
      const appended = await store.append('instance-new', [launchRequested('new')], {
        expectedVersion: 'no_stream',
      });
      expect(appended, shape).toMatchObject({ lastPosition: 3 });
      expect((await store.readStream('instance-new')).map((e) => e.type)).toEqual([
        'InstanceLaunchRequested',
      ]);
      expect((await store.readAll()).length).toBe(3);
      const db = database.sqlite;
      expect(db.prepare('SELECT projections FROM log_meta').get()).toEqual({
        projections: projectionSignature(projections),
      });
      expect(db.prepare('SELECT count(*) AS n FROM instances').get()).toEqual({ n: 3 });
      expect(verifyChain(db)).toMatchObject({ events: 3, firstProblem: undefined });
      expect(diffProjections(db, projections)).toEqual([]);
      await app.close();
    }
  });

  it('the CLI runs `status` and `events verify` against an old log (npm run build first)', async () => {
    for (const shape of ['log_head+projections', 'log_head'] as const) {
      const empty = await oldLog(shape, 0);
      const status = runCli(['status'], empty.env);
      expect(status.stderr, shape).toBe('');
      expect(status.code).toBe(0);
      expect(status.stdout).toContain('no instances');

      const seeded = await oldLog(shape, 2, 'instances:1');
      const verify = runCli(['events', 'verify'], seeded.env);
      expect(verify.stderr, shape).toBe('');
      expect(verify.code).toBe(0);
      expect(verify.stdout).toContain('2 events, hash chain intact, projections match a rebuild');
    }
  });

  it('is a no-op on a log created by the current 0001, and safe to run twice', async () => {
    const home = newHome();
    const db = new BetterSqlite3(dbOf(home));
    const kysely = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database: db }) });
    for (const migration of migrations.slice(0, 3)) await migration.up(kysely);
    db.prepare("INSERT INTO log_meta (id, projections) VALUES (1, 'instances:1')").run();
    const before = schemaOf(db);
    await migrations[3]!.up(kysely);
    await migrations[3]!.up(kysely);
    expect(schemaOf(db)).toEqual(before);
    expect(db.prepare('SELECT * FROM log_meta').all()).toEqual([{ id: 1, projections: 'instances:1' }]);
    await kysely.destroy();
  });
});
