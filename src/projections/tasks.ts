import type { SqlStatement, SqliteConnection } from '../db/open.js';
import type { TaskStatus } from '../domain/task.js';
import type { AnyRecordedEvent } from '../events/envelope.js';
import { preparedFor } from './projection.js';
import type { Projection } from './projection.js';

export interface TaskRow {
  readonly task_id: string;
  readonly state: Exclude<TaskStatus, 'none'>;
  readonly priority: number;
  readonly queued_position: number;
  readonly source_kind: 'prompt' | 'github_issue';
  readonly source_ref: string | null;
  readonly workspace: string;
  readonly role: string;
  readonly runtime: string;
  readonly prompt: string;
  readonly memory_bytes: number | null;
  readonly cpus: number | null;
  readonly attempt: number;
  readonly failures: number;
  readonly worker_id: string | null;
  readonly lease_expires_at: string | null;
  readonly next_attempt_at: string | null;
  readonly instance_id: string | null;
  readonly branch: string | null;
  readonly agent_status: string | null;
  readonly exit_code: number | null;
  readonly last_reason: string | null;
  readonly last_message: string | null;
  /** JSON array of commit ids. */
  readonly commits: string;
  /** JSON array of link URLs. */
  readonly links: string;
  readonly queued_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
  readonly updated_at: string;
  readonly last_position: number;
}

const SQL = {
  insert: `INSERT INTO tasks (task_id, state, priority, queued_position, source_kind, source_ref, workspace, role,
             runtime, prompt, memory_bytes, cpus, queued_at, updated_at, last_position)
           VALUES (@id, 'queued', @priority, @pos, @sourceKind, @sourceRef, @workspace, @role, @runtime, @prompt,
             @memory, @cpus, @at, @at, @pos)
           ON CONFLICT(task_id) DO NOTHING`,
  claimed: `UPDATE tasks SET state = 'claimed', attempt = ?, worker_id = ?, lease_expires_at = ?,
              next_attempt_at = NULL, instance_id = NULL, agent_status = NULL, updated_at = ?, last_position = ?
            WHERE task_id = ?`,
  renewed: `UPDATE tasks SET lease_expires_at = ?, updated_at = ?, last_position = ? WHERE task_id = ?`,
  expired: `UPDATE tasks SET state = 'queued', failures = failures + 1, worker_id = NULL, last_reason = 'lease_expired',
              last_message = ?, updated_at = ?, last_position = ? WHERE task_id = ?`,
  started: `UPDATE tasks SET state = 'running', instance_id = ?, branch = ?, started_at = ?, updated_at = ?,
              last_position = ? WHERE task_id = ?`,
  status: `UPDATE tasks SET agent_status = ?, updated_at = ?, last_position = ? WHERE task_id = ?`,
  succeeded: `UPDATE tasks SET state = 'succeeded', worker_id = NULL, lease_expires_at = NULL, exit_code = ?, branch = ?,
                commits = ?, links = ?, last_reason = NULL, last_message = NULL, finished_at = ?, updated_at = ?,
                last_position = ? WHERE task_id = ?`,
  failed: `UPDATE tasks SET state = CASE WHEN @next IS NULL THEN state ELSE 'retry_wait' END, failures = failures + 1,
             worker_id = NULL, lease_expires_at = NULL, next_attempt_at = @next, exit_code = @exitCode,
             last_reason = @reason, last_message = @message, commits = @commits, updated_at = @at, last_position = @pos
           WHERE task_id = @id`,
  terminal: `UPDATE tasks SET state = ?, worker_id = NULL, lease_expires_at = NULL, next_attempt_at = NULL,
               last_message = coalesce(?, last_message), finished_at = ?, updated_at = ?, last_position = ?
             WHERE task_id = ?`,
  retried: `UPDATE tasks SET state = 'queued', failures = 0, next_attempt_at = NULL, finished_at = NULL, updated_at = ?,
              last_position = ? WHERE task_id = ?`,
};
const cache = new WeakMap<SqliteConnection, Record<string, SqlStatement>>();

/** The task queue: one row per task, in queue order by priority (high first) then age. */
export const tasksProjection: Projection = {
  name: 'tasks',
  version: 1,
  tables: ['tasks'],
  handles: [
    'TaskQueued',
    'TaskClaimed',
    'TaskLeaseRenewed',
    'TaskLeaseExpired',
    'TaskStarted',
    'TaskAgentStatusChanged',
    'TaskSucceeded',
    'TaskFailed',
    'TaskCancelled',
    'TaskDeadLettered',
    'TaskRetried',
  ],
  setup(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS tasks (
      task_id TEXT PRIMARY KEY,
      state TEXT NOT NULL,
      priority INTEGER NOT NULL,
      queued_position INTEGER NOT NULL,
      source_kind TEXT NOT NULL,
      source_ref TEXT,
      workspace TEXT NOT NULL,
      role TEXT NOT NULL,
      runtime TEXT NOT NULL,
      prompt TEXT NOT NULL,
      memory_bytes INTEGER,
      cpus REAL,
      attempt INTEGER NOT NULL DEFAULT 0,
      failures INTEGER NOT NULL DEFAULT 0,
      worker_id TEXT,
      lease_expires_at TEXT,
      next_attempt_at TEXT,
      instance_id TEXT,
      branch TEXT,
      agent_status TEXT,
      exit_code INTEGER,
      last_reason TEXT,
      last_message TEXT,
      commits TEXT NOT NULL DEFAULT '[]',
      links TEXT NOT NULL DEFAULT '[]',
      queued_at TEXT NOT NULL,
      started_at TEXT,
      finished_at TEXT,
      updated_at TEXT NOT NULL,
      last_position INTEGER NOT NULL
    )`);
    db.exec('CREATE INDEX IF NOT EXISTS tasks_queue_order ON tasks (state, priority DESC, queued_position)');
  },
  apply(db, event) {
    applyTaskEvent(preparedFor(cache, db, SQL), event);
  },
};

function applyTaskEvent(s: Record<keyof typeof SQL, SqlStatement>, event: AnyRecordedEvent): void {
  const at = event.recordedAt;
  const pos = event.globalPosition;
  switch (event.type) {
    case 'TaskQueued': {
      const { data } = event;
      s.insert.run({
        id: data.taskId,
        priority: data.priority,
        pos,
        sourceKind: data.source.kind,
        sourceRef: data.source.kind === 'github_issue' ? `${data.source.repo}#${data.source.number}` : null,
        workspace: data.workspace,
        role: data.role,
        runtime: data.runtime,
        prompt: data.prompt,
        memory: data.limits.memoryBytes ?? null,
        cpus: data.limits.cpus ?? null,
        at,
      });
      return;
    }
    case 'TaskClaimed':
      s.claimed.run(
        event.data.attempt,
        event.data.workerId,
        event.data.leaseExpiresAt,
        at,
        pos,
        event.data.taskId,
      );
      return;
    case 'TaskLeaseRenewed':
      s.renewed.run(event.data.leaseExpiresAt, at, pos, event.data.taskId);
      return;
    case 'TaskLeaseExpired':
      s.expired.run(
        `lease of ${event.data.previousWorkerId} expired at ${event.data.leaseExpiredAt}`,
        at,
        pos,
        event.data.taskId,
      );
      return;
    case 'TaskStarted':
      s.started.run(event.data.instanceId, event.data.branch, at, at, pos, event.data.taskId);
      return;
    case 'TaskAgentStatusChanged':
      s.status.run(event.data.state, at, pos, event.data.taskId);
      return;
    case 'TaskSucceeded':
      s.succeeded.run(
        event.data.exitCode,
        event.data.branch,
        JSON.stringify(event.data.commits),
        JSON.stringify(event.data.links),
        at,
        at,
        pos,
        event.data.taskId,
      );
      return;
    case 'TaskFailed':
      s.failed.run({
        id: event.data.taskId,
        next: event.data.nextAttemptAt ?? null,
        exitCode: event.data.exitCode ?? null,
        reason: event.data.reason,
        message: event.data.message,
        commits: JSON.stringify(event.data.commits),
        at,
        pos,
      });
      return;
    case 'TaskCancelled':
      s.terminal.run('cancelled', event.data.reason, at, at, pos, event.data.taskId);
      return;
    case 'TaskDeadLettered':
      s.terminal.run('dead_lettered', null, at, at, pos, event.data.taskId);
      return;
    case 'TaskRetried':
      s.retried.run(at, pos, event.data.taskId);
      return;
    default:
      return;
  }
}

const ORDER = 'ORDER BY priority DESC, queued_position ASC';

export interface TaskQuery {
  readonly states?: readonly string[] | undefined;
  readonly limit?: number | undefined;
}

/** Tasks in queue order: priority (high first), then age (oldest first). */
export function listTasks(db: SqliteConnection, query: TaskQuery = {}): TaskRow[] {
  const states = query.states ?? [];
  const where = states.length ? `WHERE state IN (${states.map(() => '?').join(', ')})` : '';
  const limit = query.limit === undefined ? '' : `LIMIT ${Math.floor(query.limit)}`;
  return db.prepare(`SELECT * FROM tasks ${where} ${ORDER} ${limit}`).all(...states) as TaskRow[];
}

/** Tasks a worker may claim at `now`: queued, due for a retry, or holding an expired lease. */
export function claimableTasks(db: SqliteConnection, now: Date, limit: number): TaskRow[] {
  const at = now.toISOString();
  return db
    .prepare(
      `SELECT * FROM tasks
       WHERE state = 'queued'
          OR (state = 'retry_wait' AND next_attempt_at <= @at)
          OR (state IN ('claimed', 'running') AND lease_expires_at <= @at)
       ${ORDER} LIMIT ${Math.floor(limit)}`,
    )
    .all({ at }) as TaskRow[];
}

/** How many tasks are still the queue's business: waiting, due later, or being run by someone. */
export function pendingTaskCounts(db: SqliteConnection): Record<string, number> {
  const rows = db
    .prepare(
      `SELECT state, count(*) AS n FROM tasks WHERE state IN ('queued', 'retry_wait', 'claimed', 'running')
       GROUP BY state`,
    )
    .all() as { state: string; n: number }[];
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/** The earliest time a retry becomes due, if any task waits for one. */
export function nextRetryAt(db: SqliteConnection): string | undefined {
  return (
    (
      db.prepare("SELECT min(next_attempt_at) AS t FROM tasks WHERE state = 'retry_wait'").get() as {
        t: string | null;
      }
    ).t ?? undefined
  );
}

/** One task by id or unique id prefix (possibly several rows: the caller reports ambiguity). */
export function findTasks(db: SqliteConnection, idOrPrefix: string): TaskRow[] {
  const exact = db.prepare('SELECT * FROM tasks WHERE task_id = ?').all(idOrPrefix) as TaskRow[];
  if (exact.length > 0) return exact;
  return db
    .prepare(`SELECT * FROM tasks WHERE task_id LIKE ? ESCAPE '\\' ${ORDER} LIMIT 5`)
    .all(`${idOrPrefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) as TaskRow[];
}

/** A task already queued for this GitHub issue, if any. */
export function taskForIssue(db: SqliteConnection, repo: string, number: number): TaskRow | undefined {
  return db
    .prepare("SELECT * FROM tasks WHERE source_kind = 'github_issue' AND lower(source_ref) = lower(?)")
    .get(`${repo}#${number}`) as TaskRow | undefined;
}
