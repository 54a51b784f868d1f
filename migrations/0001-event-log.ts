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
  // The head of the hash chain, updated in the append transaction: deleting the newest rows is detectable.
  // `projections` names the inline projection set (name:version,…) that was applied up to the head.
  await sql`CREATE TABLE IF NOT EXISTS log_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    position INTEGER NOT NULL,
    hash TEXT NOT NULL,
    count INTEGER NOT NULL,
    projections TEXT NOT NULL DEFAULT ''
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
