import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen in time: never import from src/, never edit after release. Idempotent.
//
// Repairs logs created before 0001 was edited in place (it once created `log_head`, later `log_meta`):
// such a log reached user_version 3 with `log_head` and no `log_meta`, and every command failed with
// "no such table: log_meta". On a log made by the current 0001 this changes nothing.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS log_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    projections TEXT NOT NULL
  )`.execute(db);
  const head = await sql<{ name: string }>`SELECT name FROM pragma_table_info('log_head')`.execute(db);
  if (head.rows.length > 0) {
    // The first log_head had no `projections` column; the second carried the projection-set signature.
    if (head.rows.some((column) => column.name === 'projections')) {
      await sql`INSERT OR IGNORE INTO log_meta (id, projections)
        SELECT 1, projections FROM log_head WHERE id = 1 AND projections <> ''`.execute(db);
    }
    await sql`DROP TABLE log_head`.execute(db);
  }
  // The first 0001 also indexed events by recorded_at and type; the current one does not (they cost
  // page writes on every append). Dropping them makes such a log match one created today.
  await sql`DROP INDEX IF EXISTS events_recorded_at`.execute(db);
  await sql`DROP INDEX IF EXISTS events_type`.execute(db);
}
