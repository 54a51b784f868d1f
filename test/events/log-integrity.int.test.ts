import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.js';
import { dumpProjection, replayToMemory } from '../../src/projections/projector.js';
import { projections } from '../../src/projections/registry.js';
import { runCli } from '../helpers/run-cli.js';
import { seedMixedHistory } from '../helpers/seed-log.js';
import { seededRandom } from '../helpers/instance-events.js';
import { steppingClock, tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.cleanup();
});

async function seededHome(instances = 30, seed = 7): Promise<TempHome> {
  const home = tempHome();
  homes.push(home);
  const app = testApp(home, { clock: steppingClock() });
  await seedMixedHistory(app, { instances, seed });
  await app.close();
  return home;
}

const dbPath = (home: TempHome): string => `${home.env.JACKIN_HOME}/jackin.db`;
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('tamper evidence', () => {
  it('an edited row fails verify and names its position', async () => {
    const home = await seededHome();
    const db = new BetterSqlite3(dbPath(home));
    db.prepare("UPDATE events SET data = json_set(data, '$.role', 'evil') WHERE global_position = 5").run();
    db.close();
    const result = runCli(['events', 'verify', '--json'], home.env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ verify: { ok: false, first_bad_position: 5 } });
    expect(result.stderr).toMatch(/^jackin: event log integrity broken at position 5/m);
  });

  it('a deleted row in the middle fails verify and names its position', async () => {
    const home = await seededHome();
    const db = new BetterSqlite3(dbPath(home));
    db.prepare('DELETE FROM events WHERE global_position = 12').run();
    db.close();
    const result = runCli(['events', 'verify', '--json'], home.env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ verify: { first_bad_position: 12 } });
  });

  it('deleting the newest rows (truncation) fails verify', async () => {
    const home = await seededHome();
    const db = new BetterSqlite3(dbPath(home));
    const last = (db.prepare('SELECT max(global_position) p FROM events').get() as { p: number }).p;
    db.prepare('DELETE FROM events WHERE global_position > ?').run(last - 2);
    db.close();
    const result = runCli(['events', 'verify', '--json'], home.env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ verify: { ok: false, first_bad_position: last - 1 } });
  });

  it('a projection edited behind the log fails verify until rebuilt', async () => {
    const home = await seededHome();
    const db = new BetterSqlite3(dbPath(home));
    db.prepare("UPDATE instances SET state = 'running' WHERE instance_id = 'i3'").run();
    db.close();
    const broken = runCli(['events', 'verify', '--json'], home.env);
    expect(broken.code).toBe(1);
    expect(JSON.parse(broken.stdout)).toMatchObject({ verify: { projections_drifted: ['instances'] } });
    expect(runCli(['events', 'rebuild'], home.env).code).toBe(0);
    expect(runCli(['events', 'verify'], home.env).code).toBe(0);
  });
});

describe('replay', () => {
  it('replay --until N equals projections built from the first N events, for any N', async () => {
    const home = await seededHome(40, 11);
    const opened = await openDatabase({ path: dbPath(home) });
    const total = (opened.sqlite.prepare('SELECT count(*) n FROM events').get() as { n: number }).n;
    const random = seededRandom(3);
    const positions = [0, 1, total, ...Array.from({ length: 6 }, () => 1 + Math.floor(random() * total))];
    for (const n of positions) {
      // Reference: a fresh log holding exactly the first N events, projected inline.
      const reference = tempHome();
      homes.push(reference);
      const app = testApp(reference);
      const log = await app.eventLog();
      const rows = opened.sqlite
        .prepare('SELECT * FROM events WHERE global_position <= ? ORDER BY global_position')
        .all(n) as {
        stream_id: string;
        type: string;
        data: string;
      }[];
      for (const row of rows) {
        await log.store.append(row.stream_id, [{ type: row.type, data: JSON.parse(row.data) } as never], {
          expectedVersion: 'any',
        });
      }
      const expected = Object.fromEntries(
        projections.map((p) => [p.name, stripVolatile(dumpProjection(log.database.sqlite, p))]),
      );
      await app.close();

      const cli = runCli(['events', 'replay', '--until', String(n), '--json'], home.env);
      expect(cli.code, cli.stderr).toBe(0);
      const replayed = JSON.parse(cli.stdout) as {
        replay: { position: number; projections: Record<string, Record<string, unknown[]>> };
      };
      expect(replayed.replay.position).toBe(n);
      const actual = Object.fromEntries(
        Object.entries(replayed.replay.projections).map(([k, v]) => [k, stripVolatile(v)]),
      );
      expect(actual).toEqual(expected);
    }
    await opened.close();
  }, 60_000);

  it('replay in memory matches the stored projections at the head', async () => {
    const home = await seededHome(20, 5);
    const opened = await openDatabase({ path: dbPath(home) });
    const memory = replayToMemory(opened.sqlite, projections, undefined);
    for (const p of projections) expect(dumpProjection(memory, p)).toEqual(dumpProjection(opened.sqlite, p));
    memory.close();
    await opened.close();
  });

  it('replay --until TIME resolves to the last event at or before that time', async () => {
    const home = await seededHome(5, 1);
    // steppingClock starts at 2026-11-01T00:00:00Z and advances 1 s per append.
    const cli = runCli(['events', 'replay', '--until', '2026-11-01T00:00:02.000Z', '--json'], home.env);
    expect(cli.code, cli.stderr).toBe(0);
    expect((JSON.parse(cli.stdout) as { replay: { position: number } }).replay.position).toBe(3);
  });
});

// Timestamps and positions differ between the original log and a re-appended reference.
function stripVolatile(tables: Record<string, unknown[]>): Record<string, unknown[]> {
  return Object.fromEntries(
    Object.entries(tables).map(([name, rows]) => [
      name,
      rows.map((row) => {
        const copy = { ...(row as Record<string, unknown>) };
        for (const key of ['created_at', 'started_at', 'updated_at', 'last_position']) delete copy[key];
        return copy;
      }),
    ]),
  );
}

describe('export and import', () => {
  it('round-trips exactly', async () => {
    const home = await seededHome(15, 9);
    const exported = runCli(['events', 'export'], home.env);
    expect(exported.code, exported.stderr).toBe(0);
    const target = tempHome();
    homes.push(target);
    const file = `${target.dir}/log.jsonl`;
    writeFileSync(file, exported.stdout);
    const imported = runCli(['events', 'import', file, '--json'], target.env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual({
      import: { events: exported.stdout.trim().split('\n').length },
    });
    expect(runCli(['events', 'export'], target.env).stdout).toBe(exported.stdout);
    expect(runCli(['events', 'verify'], target.env).code).toBe(0);
    expect(runCli(['events', 'replay', '--until', '999999', '--json'], target.env).code).toBe(3);
  });

  it('refuses an edited export and imports nothing', async () => {
    const home = await seededHome(5, 2);
    const lines = runCli(['events', 'export'], home.env).stdout.trim().split('\n');
    lines[3] = lines[3]!.replace('"instanceId":"', '"instanceId":"evil-');
    const target = tempHome();
    homes.push(target);
    const file = `${target.dir}/log.jsonl`;
    writeFileSync(file, lines.join('\n'));
    const imported = runCli(['events', 'import', file], target.env);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toMatch(/line 4: event #4 breaks the hash chain/);
    expect(JSON.parse(runCli(['events', 'verify', '--json'], target.env).stdout)).toMatchObject({
      verify: { events: 0 },
    });
  });
});

describe('bad input', () => {
  it('unknown --type: usage error, exit 2, hint', async () => {
    const home = await seededHome(2, 1);
    const before = sha(dbPath(home));
    const result = runCli(['history', '--type', 'InstanceLaunched'], home.env);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^jackin: unknown event type 'InstanceLaunched'\nhint: did you mean/);
    expect(sha(dbPath(home))).toBe(before);
  });

  it('unparseable --since: usage error, exit 2', async () => {
    const home = await seededHome(2, 1);
    const result = runCli(['history', '--since', 'last tuesday', '--json'], home.env);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: {
        code: 'usage',
        message: "invalid --since 'last tuesday'",
        hint: expect.stringContaining('ISO') as string,
      },
    });
  });

  it('a corrupt database file: clear error, exit 1, file untouched', () => {
    const home = tempHome();
    homes.push(home);
    runCli(['events', 'verify'], home.env);
    const garbage = Buffer.alloc(8192, 0x5a);
    writeFileSync(dbPath(home), garbage);
    for (const args of [['history'], ['events', 'verify'], ['events', 'rebuild']]) {
      const result = runCli(args, home.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^jackin: the event log at .* is not a valid jackin database\nhint: /);
      expect(readFileSync(dbPath(home)).equals(garbage)).toBe(true);
    }
  });

  it('a database from a newer schema version: clear error, exit 1, file untouched', async () => {
    const home = await seededHome(2, 1);
    const db = new BetterSqlite3(dbPath(home));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.pragma('user_version = 99');
    db.close();
    const before = sha(dbPath(home));
    const result = runCli(['history'], home.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/schema version 99; this jackin knows up to \d+\nhint: upgrade jackin/);
    expect(sha(dbPath(home))).toBe(before);
  });

  it('--limit must be a positive number; replay past the end is not found', async () => {
    const home = await seededHome(2, 1);
    expect(runCli(['history', '--limit', 'x'], home.env).code).toBe(2);
    expect(runCli(['events', 'replay', '--until', '5000'], home.env).code).toBe(3);
    expect(runCli(['events', 'replay', '--until', '3', '--projection', 'nope'], home.env).code).toBe(2);
    expect(runCli(['history', 'no-such-instance'], home.env).code).toBe(3);
  });
});
