import type { QueueTask } from '../ports.js';

/** Display order of task states: what is moving first, then waiting, then finished. */
const STATE_ORDER = [
  'running',
  'claimed',
  'retry_wait',
  'queued',
  'failed',
  'dead_lettered',
  'succeeded',
  'cancelled',
];

/** Tasks grouped by state (in that order), keeping the queue's own order within a state. */
export function sortTasks(tasks: readonly QueueTask[]): QueueTask[] {
  const rank = (state: string): number => {
    const index = STATE_ORDER.indexOf(state);
    return index === -1 ? STATE_ORDER.length : index;
  };
  return tasks
    .map((task, index) => ({ task, index }))
    .sort((a, b) => rank(a.task.state) - rank(b.task.state) || a.index - b.index)
    .map(({ task }) => task);
}
