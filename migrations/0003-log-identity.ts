import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen in time: never import from src/, never edit after release. Idempotent.
export async function up(db: Kysely<any>): Promise<void> {
  // The log's identity (ADR 0023): a random id minted once, when this migration runs (under the
  // migrator's BEGIN IMMEDIATE, so two processes opening a fresh log agree on it). Every Docker
  // object jackin creates is labelled `dev.jackin.home=<log_id>`, so the reconciler, prune and
  // exile of one jackin home never touch another home's objects on the same engine. It travels
  // with the database file (moving the home keeps it); it is not derived from any path.
  await sql`CREATE TABLE IF NOT EXISTS log_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    log_id TEXT NOT NULL,
    created_at TEXT NOT NULL
  )`.execute(db);
  await sql`INSERT OR IGNORE INTO log_identity (id, log_id, created_at)
    VALUES (1, lower(hex(randomblob(8))), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`.execute(db);
}
