import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerQueueRun } from './queue-run.js';

/** `jackin queue …`: the worker pool that runs queued tasks. */
export function registerQueue(program: Command, context: CliContext): void {
  const queue = program.command('queue').description('run the task queue');
  registerQueueRun(queue, context);
}
