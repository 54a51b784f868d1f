import type { SqliteConnection } from '../../db/open.js';
import { taskStream } from '../../domain/task.js';
import type { EventStore } from '../../events/store.js';
import { linkStreamsOfTask } from '../../projections/links.js';

/**
 * Every stream that tells one task's story: the task itself, the instances its attempts started,
 * and the issues and pull requests it touched (so `jackin history <task>` reads end to end).
 */
export async function taskStoryStreams(
  store: EventStore,
  db: SqliteConnection,
  taskId: string,
): Promise<string[]> {
  const streams = [taskStream(taskId)];
  for (const event of await store.readStream(taskStream(taskId))) {
    if (event.type === 'TaskStarted') streams.push(`instance-${event.data.instanceId}`);
    if (event.type === 'TaskLeaseExpired' && event.data.instanceId)
      streams.push(`instance-${event.data.instanceId}`);
  }
  streams.push(...linkStreamsOfTask(db, taskId));
  return [...new Set(streams)];
}
