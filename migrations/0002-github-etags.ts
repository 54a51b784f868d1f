import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen in time: never import from src/, never edit after release. Idempotent DDL.
export async function up(db: Kysely<any>): Promise<void> {
  // The link poller's conditional-request cache (ADR 0019): the ETag GitHub last sent for a
  // resource (`issue:o/r#1`, `pull:o/r#2`, `checks:o/r@sha`) and, for a pull, the head commit it
  // described. A cache, not history: never in the event log, safe to delete.
  await sql`CREATE TABLE IF NOT EXISTS github_etags (
    key TEXT PRIMARY KEY,
    etag TEXT NOT NULL,
    head_sha TEXT,
    updated_at TEXT NOT NULL
  )`.execute(db);
}
