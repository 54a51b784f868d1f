import type { SqliteConnection } from '../db/open.js';

/** The position a follower (console, poller, notifier) has processed up to; 0 when it never ran. */
export function readCheckpoint(db: SqliteConnection, subscriber: string): number {
  const row = db.prepare('SELECT position FROM checkpoints WHERE subscriber = ?').get(subscriber) as
    { position: number } | undefined;
  return row?.position ?? 0;
}

/** Stores a follower's position; call it in the same transaction as the follower's own writes. */
export function storeCheckpoint(db: SqliteConnection, subscriber: string, position: number, at: Date): void {
  db.prepare(
    `INSERT INTO checkpoints (subscriber, position, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(subscriber) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
  ).run(subscriber, position, at.toISOString());
}
