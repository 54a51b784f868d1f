import { spawn } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { logId } from '../../src/db/log-id.js';
import { MIGRATION_COUNT } from '../../src/db/migration-count.js';
import { openDatabase } from '../../src/db/open.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.cleanup();
});

function dbPath(): string {
  const home = tempHome('jackin-logid-');
  homes.push(home);
  return `${home.dir}/jackin.db`;
}

describe('the event log identity (ADR 0023)', () => {
  it('is minted once when the log is created and read back unchanged on every open', async () => {
    const path = dbPath();
    const first = await openDatabase({ path });
    const id = logId(first.sqlite);
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(first.sqlite.pragma('user_version', { simple: true })).toBe(MIGRATION_COUNT);
    await first.close();
    const again = await openDatabase({ path });
    expect(logId(again.sqlite)).toBe(id);
    await again.close();
    const other = await openDatabase({ path: dbPath() });
    expect(logId(other.sqlite)).not.toBe(id);
    await other.close();
  });

  it('a log from before migration 0003 keeps its events and gains an identity on open', async () => {
    const path = dbPath();
    const old = new BetterSqlite3(path);
    const kysely = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database: old }) });
    for (const migration of migrations.slice(0, 2)) await migration.up(kysely);
    old.pragma('user_version = 2');
    old.prepare("INSERT INTO log_meta (id, projections) VALUES (1, 'instances:1')").run();
    await kysely.destroy();
    const opened = await openDatabase({ path });
    expect(opened.sqlite.pragma('user_version', { simple: true })).toBe(MIGRATION_COUNT);
    expect(logId(opened.sqlite)).toMatch(/^[0-9a-f]{16}$/);
    expect(opened.sqlite.prepare('SELECT projections FROM log_meta').get()).toEqual({
      projections: 'instances:1',
    });
    await opened.close();
    expect(opened.sqlite.open).toBe(false);
  });

  it('processes creating the same fresh log at once agree on one identity', async () => {
    const path = dbPath();
    const script = `
      const { openDatabase } = await import(${JSON.stringify(new URL('../../dist/src/db/open.js', import.meta.url).href)});
      const { logId } = await import(${JSON.stringify(new URL('../../dist/src/db/log-id.js', import.meta.url).href)});
      const db = await openDatabase({ path: process.argv[1] });
      process.stdout.write(logId(db.sqlite));
      await db.close();`;
    const run = (): Promise<string> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, path]);
        let out = '';
        let err = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (err += c.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
      });
    const ids = await Promise.all([run(), run(), run(), run()]);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f]{16}$/);
  });
});
