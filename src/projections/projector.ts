import BetterSqlite3 from 'better-sqlite3';
import { prepare } from '../db/open.js';
import type { SqliteConnection } from '../db/open.js';
import { decodeRowForProjection } from '../events/codec.js';
import type { EventRow } from '../events/codec.js';
import type { AnyRecordedEvent } from '../events/envelope.js';
import type { InlineApplier } from '../events/sqlite-store.js';
import type { Projection } from './projection.js';
import { sqliteAddon } from '../db/addon.js';

const BATCH = 5_000;

/**
 * Applies projections inline (inside the append transaction) and rebuilds them. A projection whose
 * stored version differs from its definition, or that is new, is rebuilt from position 0 on start.
 */
export class Projector implements InlineApplier {
  readonly signature: string;
  private readonly byType = new Map<string, Projection[]>();

  constructor(
    private readonly db: SqliteConnection,
    readonly projections: readonly Projection[],
  ) {
    for (const projection of projections) {
      for (const type of projection.handles) {
        const list = this.byType.get(type) ?? [];
        list.push(projection);
        this.byType.set(type, list);
      }
    }
    this.signature = projectionSignature(projections);
  }

  /** Creates tables and rebuilds stale projections. Returns the names rebuilt. */
  start(): string[] {
    for (const projection of this.projections) projection.setup(this.db);
    const stale = this.staleProjections(headSignature(this.db));
    if (stale.length > 0) this.rebuild(stale);
    return stale.map((p) => p.name);
  }

  /**
   * Stale = never built at this version, or the log head was written by a process whose projection
   * set did not include it (so it may have missed events).
   */
  private staleProjections(atHead: string | undefined): Projection[] {
    const stored = new Map(
      (
        this.db.prepare('SELECT name, version FROM projections').all() as { name: string; version: number }[]
      ).map((row) => [row.name, row.version]),
    );
    const appliedAtHead = new Set(atHead === undefined ? undefined : atHead.split(','));
    return this.projections.filter(
      (p) =>
        stored.get(p.name) !== p.version ||
        (atHead !== undefined && !appliedAtHead.has(`${p.name}:${p.version}`)),
    );
  }

  apply(db: SqliteConnection, events: readonly AnyRecordedEvent[]): void {
    for (const event of events) {
      const targets = this.byType.get(event.type);
      if (targets) for (const projection of targets) projection.apply(db, event);
    }
  }

  catchUp(_db: SqliteConnection, atHead: string): void {
    const stale = this.staleProjections(atHead);
    if (stale.length > 0) this.rebuildInTransaction(stale);
  }

  /** Drops and replays the given projections (default: all) from position 0, in one transaction. */
  rebuild(which: readonly Projection[] = this.projections): number {
    return this.db.transaction(() => this.rebuildInTransaction(which)).immediate();
  }

  private rebuildInTransaction(which: readonly Projection[]): number {
    for (const projection of which) {
      for (const table of projection.tables) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
      projection.setup(this.db);
    }
    const count = replayInto(this.db, this.db, which, undefined);
    const upsert = this.db.prepare(
      `INSERT INTO projections (name, version, position) VALUES (?, ?, ?)
       ON CONFLICT(name) DO UPDATE SET version = excluded.version, position = excluded.position`,
    );
    const head = headPosition(this.db);
    for (const projection of which) upsert.run(projection.name, projection.version, head);
    this.db
      .prepare(
        'INSERT INTO log_meta (id, projections) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET projections = excluded.projections',
      )
      .run(this.signature);
    return count;
  }
}

export function projectionSignature(which: readonly Projection[]): string {
  return which.map((p) => `${p.name}:${p.version}`).join(',');
}

function headSignature(db: SqliteConnection): string | undefined {
  return (
    db.prepare('SELECT projections FROM log_meta WHERE id = 1').get() as { projections: string } | undefined
  )?.projections;
}

function headPosition(db: SqliteConnection): number {
  return (db.prepare('SELECT coalesce(max(global_position), 0) AS p FROM events').get() as { p: number }).p;
}

/** Folds events from `source` (up to `upTo`) into projections stored in `target`. Returns events applied. */
export function replayInto(
  source: SqliteConnection,
  target: SqliteConnection,
  which: readonly Projection[],
  upTo: number | undefined,
): number {
  const byType = new Map<string, Projection[]>();
  for (const projection of which) {
    for (const type of projection.handles) byType.set(type, [...(byType.get(type) ?? []), projection]);
  }
  const types = [...byType.keys()];
  if (types.length === 0) return 0;
  const page = prepare(
    source,
    `SELECT * FROM events WHERE global_position > ? AND global_position <= ? AND type IN (${types.map(() => '?').join(', ')})
     ORDER BY global_position LIMIT ${BATCH}`,
  );
  let after = 0;
  let applied = 0;
  const limit = upTo ?? Number.MAX_SAFE_INTEGER;
  for (;;) {
    const rows = page.all(after, limit, ...types) as EventRow[];
    if (rows.length === 0) break;
    for (const row of rows) {
      const event = decodeRowForProjection(row);
      for (const projection of byType.get(event.type) ?? []) projection.apply(target, event);
    }
    applied += rows.length;
    after = rows[rows.length - 1]!.global_position;
    if (rows.length < BATCH) break;
  }
  return applied;
}

/** A fresh in-memory database holding the given projections as of position `upTo`. */
export function replayToMemory(
  source: SqliteConnection,
  which: readonly Projection[],
  upTo: number | undefined,
): SqliteConnection {
  const memory = new BetterSqlite3(':memory:', sqliteAddon());
  for (const projection of which) projection.setup(memory);
  memory.transaction(() => replayInto(source, memory, which, upTo))();
  return memory;
}

/** Every row of a projection's tables in a canonical order, for diffs. */
export function dumpProjection(db: SqliteConnection, projection: Projection): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const table of projection.tables) {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
    out[table] = exists ? db.prepare(`SELECT * FROM "${table}" ORDER BY 1, 2`).all() : [];
  }
  return out;
}
