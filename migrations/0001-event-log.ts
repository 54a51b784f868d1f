import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen in time: never import from src/, never edit after release. Idempotent DDL.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE IF NOT EXISTS events (
    global_position INTEGER PRIMARY KEY AUTOINCREMENT,
    stream_id TEXT NOT NULL,
    stream_version INTEGER NOT NULL,
    type TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    data TEXT NOT NULL,
    metadata TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    UNIQUE (stream_id, stream_version)
  )`.execute(db);
  // `projections` names the inline projection set (name:version,…) that applied the newest events; it is
  // written only when a writer with a different set appends. (Truncation of the newest rows is caught by
  // AUTOINCREMENT's sqlite_sequence, which never goes back.)
  await sql`CREATE TABLE IF NOT EXISTS log_meta (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    projections TEXT NOT NULL
  )`.execute(db);
  // Inline projections: name, version and the position of their last rebuild.
  await sql`CREATE TABLE IF NOT EXISTS projections (
    name TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    position INTEGER NOT NULL
  )`.execute(db);
  // Followers (console, poller, notifications): the position each has processed.
  await sql`CREATE TABLE IF NOT EXISTS checkpoints (
    subscriber TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    updated_at TEXT NOT NULL
  )`.execute(db);
}
