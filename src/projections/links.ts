import type { SqlStatement, SqliteConnection } from '../db/open.js';
import { linkStream } from '../domain/link.js';
import { preparedFor } from './projection.js';
import type { Projection } from './projection.js';

export interface LinkRow {
  /** The stream id: `link-<owner>/<repo>#<n>`. */
  readonly link_id: string;
  readonly url: string;
  readonly repo: string;
  readonly number: number;
  readonly kind: 'issue' | 'pull';
  /** `unknown` until the poller has seen it. */
  readonly state: 'unknown' | 'open' | 'closed' | 'merged';
  readonly checks: string | null;
  readonly title: string | null;
  /** The task that added it most recently. */
  readonly task_id: string | null;
  readonly instance_id: string | null;
  readonly added_at: string;
  readonly changed_at: string | null;
  readonly last_position: number;
}

const SQL = {
  upsert: `INSERT INTO links (link_id, url, repo, number, kind, state, task_id, instance_id, added_at, last_position)
           VALUES (@id, @url, @repo, @number, @kind, 'unknown', @taskId, @instanceId, @at, @pos)
           ON CONFLICT(link_id) DO UPDATE SET
             kind = CASE WHEN excluded.kind = 'pull' THEN 'pull' ELSE links.kind END,
             url = CASE WHEN excluded.kind = 'pull' THEN excluded.url ELSE links.url END,
             task_id = coalesce(excluded.task_id, links.task_id),
             instance_id = coalesce(excluded.instance_id, links.instance_id),
             last_position = excluded.last_position`,
  ref: `INSERT INTO link_refs (link_id, task_id, instance_id, via, position) VALUES (?, ?, ?, ?, ?)`,
  changed: `UPDATE links SET state = @state, checks = @checks, title = coalesce(@title, title), changed_at = @at,
              last_position = @pos WHERE link_id = @id`,
};
const cache = new WeakMap<SqliteConnection, Record<string, SqlStatement>>();

/** Tracked GitHub issues and pull requests, their last seen state, and which tasks they belong to. */
export const linksProjection: Projection = {
  name: 'links',
  version: 1,
  tables: ['links', 'link_refs'],
  handles: ['LinkAdded', 'LinkStateChanged'],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS links (
      link_id TEXT PRIMARY KEY,
      url TEXT NOT NULL,
      repo TEXT NOT NULL,
      number INTEGER NOT NULL,
      kind TEXT NOT NULL,
      state TEXT NOT NULL,
      checks TEXT,
      title TEXT,
      task_id TEXT,
      instance_id TEXT,
      added_at TEXT NOT NULL,
      changed_at TEXT,
      last_position INTEGER NOT NULL
    )`);
    db.exec(`CREATE TABLE IF NOT EXISTS link_refs (
      position INTEGER PRIMARY KEY,
      link_id TEXT NOT NULL,
      task_id TEXT,
      instance_id TEXT,
      via TEXT NOT NULL
    )`);
    db.exec('CREATE INDEX IF NOT EXISTS link_refs_task ON link_refs (task_id)');
  },
  apply(db, event) {
    const s = preparedFor(cache, db, SQL);
    if (event.type === 'LinkAdded') {
      const id = linkStream(event.data).slice('link-'.length);
      s.upsert.run({
        id,
        url: event.data.url,
        repo: event.data.repo,
        number: event.data.number,
        kind: event.data.kind,
        taskId: event.data.taskId ?? null,
        instanceId: event.data.instanceId ?? null,
        at: event.recordedAt,
        pos: event.globalPosition,
      });
      s.ref.run(
        id,
        event.data.taskId ?? null,
        event.data.instanceId ?? null,
        event.data.via,
        event.globalPosition,
      );
    } else if (event.type === 'LinkStateChanged') {
      s.changed.run({
        id: linkStream(event.data).slice('link-'.length),
        state: event.data.state,
        checks: event.data.checks ?? null,
        title: event.data.title ?? null,
        at: event.recordedAt,
        pos: event.globalPosition,
      });
    }
  },
};

/** Every tracked link, grouped by repository then number. */
export function listLinks(db: SqliteConnection, query: { states?: readonly string[] } = {}): LinkRow[] {
  const states = query.states ?? [];
  const where = states.length ? `WHERE state IN (${states.map(() => '?').join(', ')})` : '';
  return db.prepare(`SELECT * FROM links ${where} ORDER BY repo, number`).all(...states) as LinkRow[];
}

/** Links the poller should follow: everything not closed or merged. */
export function openLinks(db: SqliteConnection): LinkRow[] {
  return listLinks(db, { states: ['unknown', 'open'] });
}

/** The link streams one task touched (for `jackin history <task>`). */
export function linkStreamsOfTask(db: SqliteConnection, taskId: string): string[] {
  const rows = db
    .prepare('SELECT DISTINCT link_id FROM link_refs WHERE task_id = ? ORDER BY link_id')
    .all(taskId) as { link_id: string }[];
  return rows.map((r) => `link-${r.link_id}`);
}

/**
 * Links that belong to one instance: added with its id, or by the task it currently runs (the
 * tasks projection names the instance of a task's latest attempt).
 */
export function linksOfInstance(db: SqliteConnection, instanceId: string): LinkRow[] {
  return db
    .prepare(
      `SELECT * FROM links WHERE link_id IN (
         SELECT link_id FROM link_refs WHERE instance_id = @id
           OR task_id IN (SELECT task_id FROM tasks WHERE instance_id = @id)
       ) OR instance_id = @id ORDER BY repo, number`,
    )
    .all({ id: instanceId }) as LinkRow[];
}
