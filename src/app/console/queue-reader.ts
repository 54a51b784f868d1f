import { linksProjection, listLinks } from '../../projections/links.js';
import { listTasks, tasksProjection } from '../../projections/tasks.js';
import type { LinkRow, QueueTask } from '../../console/ports.js';
import type { QueueReader } from './console-data.js';

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

/** The console's queue and links panes over the `tasks` and `links` projections (issue 7). */
export const projectionQueueReader: QueueReader = {
  handles: new Set([...tasksProjection.handles, ...linksProjection.handles]),
  tasks(db) {
    return listTasks(db).map((row): QueueTask => ({
      id: row.task_id,
      state: row.state,
      title: row.source_ref ?? firstLine(row.prompt),
      workspace: row.workspace,
      role: row.role,
      attempts: row.attempt,
      worker: row.state === 'claimed' || row.state === 'running' ? row.worker_id : null,
      instanceId: row.instance_id,
      priority: row.priority,
    }));
  },
  links(db) {
    return listLinks(db).map((row): LinkRow => ({
      ref: `${row.repo}#${row.number}`,
      url: row.url,
      kind: row.kind,
      state: row.state,
      title: row.title ?? '',
      checks: row.checks,
      subjects: [row.instance_id, row.task_id].filter((s): s is string => s !== null),
    }));
  },
};
