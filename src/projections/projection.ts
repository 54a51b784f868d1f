import { prepare } from '../db/open.js';
import type { SqlStatement, SqliteConnection } from '../db/open.js';
import type { EventType } from '../events/catalog/index.js';
import type { AnyRecordedEvent } from '../events/envelope.js';

/**
 * A projection is data: a name, a version (bumping it rebuilds from position 0), the event types it
 * reads, and synchronous SQL that runs inside the append transaction.
 */
export interface Projection {
  readonly name: string;
  readonly version: number;
  readonly handles: readonly EventType[];
  /** The tables it owns, dropped on rebuild and compared by `events verify`. */
  readonly tables: readonly string[];
  /** Creates its tables (idempotent). */
  setup(db: SqliteConnection): void;
  apply(db: SqliteConnection, event: AnyRecordedEvent): void;
}

/** Prepared statements cached per connection, so the hot path never re-prepares. */
export function preparedFor<K extends string>(
  cache: WeakMap<SqliteConnection, Record<string, SqlStatement>>,
  db: SqliteConnection,
  sql: Record<K, string>,
): Record<K, SqlStatement> {
  let statements = cache.get(db);
  if (!statements) {
    statements = Object.fromEntries(Object.entries(sql).map(([k, v]) => [k, prepare(db, v as string)]));
    cache.set(db, statements);
  }
  return statements;
}
