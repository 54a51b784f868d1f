import type { SqliteConnection } from '../db/open.js';

/** What GitHub last sent for a resource: its ETag and, for a pull request, the head it described. */
export interface CachedEtag {
  readonly etag: string;
  readonly headSha: string | undefined;
}

/**
 * The link poller's conditional-request cache in the `github_etags` table (ADR 0019), shared by
 * every process on this log: a new `links poll` sends `If-None-Match` on its first round, so an
 * unchanged resource costs a 304 (no rate limit, no event). A cache only: losing it costs requests.
 */
export class GithubEtags {
  constructor(private readonly db: SqliteConnection) {}

  get(key: string): CachedEtag | undefined {
    const row = this.db.prepare('SELECT etag, head_sha FROM github_etags WHERE key = ?').get(key) as
      { etag: string; head_sha: string | null } | undefined;
    return row === undefined ? undefined : { etag: row.etag, headSha: row.head_sha ?? undefined };
  }

  set(key: string, value: CachedEtag, at: Date): void {
    this.db
      .prepare(
        `INSERT INTO github_etags (key, etag, head_sha, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET etag = excluded.etag, head_sha = excluded.head_sha, updated_at = excluded.updated_at`,
      )
      .run(key, value.etag, value.headSha ?? null, at.toISOString());
  }

  delete(key: string): void {
    this.db.prepare('DELETE FROM github_etags WHERE key = ?').run(key);
  }
}
