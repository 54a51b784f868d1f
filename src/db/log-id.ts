import type { SqliteConnection } from './open.js';

const cache = new WeakMap<SqliteConnection, string>();

/**
 * The event log's identity (ADR 0023): a random id minted by migration 0003 and kept in the
 * `log_identity` table. jackin labels every Docker object it creates `dev.jackin.home=<id>`, so
 * commands in one jackin home act only on that home's objects. Read once per connection.
 */
export function logId(db: SqliteConnection): string {
  const known = cache.get(db);
  if (known !== undefined) return known;
  const row = db.prepare('SELECT log_id FROM log_identity WHERE id = 1').get() as
    { log_id: string } | undefined;
  if (!row) throw new Error('the event log has no identity (log_identity is empty): reopen it to migrate');
  cache.set(db, row.log_id);
  return row.log_id;
}
