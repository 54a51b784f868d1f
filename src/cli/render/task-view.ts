import type { SqliteConnection } from '../../db/open.js';
import { NotFoundError, UsageError } from '../../kernel/errors.js';
import { formatSize } from '../../kernel/size.js';
import type { LinkRow } from '../../projections/links.js';
import { findTasks } from '../../projections/tasks.js';
import type { TaskRow } from '../../projections/tasks.js';

/** The `--json` shape of a task (`{"task":{…}}`, `{"tasks":[…]}`). */
export function taskToJson(row: TaskRow): Record<string, unknown> {
  return {
    id: row.task_id,
    state: row.state,
    priority: row.priority,
    source: { kind: row.source_kind, ref: row.source_ref },
    workspace: row.workspace,
    role: row.role,
    runtime: row.runtime,
    prompt: row.prompt,
    limits: { memory_bytes: row.memory_bytes, cpus: row.cpus },
    attempt: row.attempt,
    failures: row.failures,
    worker: row.worker_id,
    lease_expires_at: row.lease_expires_at,
    next_attempt_at: row.next_attempt_at,
    instance: row.instance_id,
    branch: row.branch,
    agent_status: row.agent_status,
    exit_code: row.exit_code,
    last_reason: row.last_reason,
    last_message: row.last_message,
    commits: JSON.parse(row.commits) as string[],
    links: JSON.parse(row.links) as string[],
    queued_at: row.queued_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
  };
}

export const TASK_HEADERS = [
  'ID',
  'STATE',
  'PRI',
  'ATTEMPT',
  'WORKSPACE',
  'ROLE',
  'AGENT',
  'WORKER',
  'PROMPT',
];

function oneLine(text: string, width: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 3)}...` : flat;
}

export function taskCells(row: TaskRow): string[] {
  return [
    row.task_id,
    row.state,
    String(row.priority),
    String(row.attempt),
    row.workspace,
    row.role,
    row.runtime,
    row.worker_id ?? '-',
    oneLine(row.source_ref ?? row.prompt, 40),
  ];
}

/** `key  value` lines for `task show`. */
export function taskDetails(row: TaskRow, logPath: string): [string, string][] {
  const commits = JSON.parse(row.commits) as string[];
  const links = JSON.parse(row.links) as string[];
  const limits = [
    row.memory_bytes === null ? undefined : `memory ${formatSize(row.memory_bytes)}`,
    row.cpus === null ? undefined : `cpus ${row.cpus}`,
  ].filter(Boolean);
  const pairs: [string, string | null][] = [
    ['id', row.task_id],
    ['state', row.state],
    ['source', row.source_kind === 'prompt' ? 'prompt' : `github issue ${row.source_ref ?? ''}`],
    ['workspace', row.workspace],
    ['role', row.role],
    ['agent', row.runtime],
    ['priority', String(row.priority)],
    ['limits', limits.length ? limits.join(', ') : 'none'],
    ['attempt', `${row.attempt} (${row.failures} failed since queued)`],
    ['worker', row.worker_id],
    ['lease until', row.lease_expires_at],
    ['next attempt', row.next_attempt_at],
    ['instance', row.instance_id],
    ['branch', row.branch],
    ['agent status', row.agent_status],
    ['exit code', row.exit_code === null ? null : String(row.exit_code)],
    ['last failure', row.last_reason === null ? null : `${row.last_reason}: ${row.last_message ?? ''}`],
    ['commits', commits.length ? commits.map((c) => c.slice(0, 12)).join(' ') : null],
    ['links', links.length ? links.join(' ') : null],
    ['queued', row.queued_at],
    ['finished', row.finished_at],
    ['log', logPath],
    ['prompt', oneLine(row.prompt, 200)],
  ];
  return pairs.filter((p): p is [string, string] => p[1] !== null);
}

/** One task by id or unique prefix: exit 3 when none, 2 when the prefix is ambiguous. */
export function resolveTask(db: SqliteConnection, id: string): TaskRow {
  const rows = findTasks(db, id);
  if (rows.length === 0) {
    throw new NotFoundError(`no task '${id}'`, { hint: 'see `jackin task list`' });
  }
  if (rows.length > 1) {
    throw new UsageError(`task id '${id}' is ambiguous (${rows.map((r) => r.task_id).join(', ')})`, {
      hint: 'give more characters of the id',
    });
  }
  return rows[0]!;
}

export function linkToJson(row: LinkRow): Record<string, unknown> {
  return {
    id: row.link_id,
    url: row.url,
    repo: row.repo,
    number: row.number,
    kind: row.kind,
    state: row.state,
    checks: row.checks,
    title: row.title,
    task: row.task_id,
    instance: row.instance_id,
    added_at: row.added_at,
    changed_at: row.changed_at,
  };
}
