import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerTaskAdd } from './task-add.js';
import { registerTaskCancel } from './task-cancel.js';
import { registerTaskImport } from './task-import.js';
import { registerTaskList } from './task-list.js';
import { registerTaskRetry } from './task-retry.js';
import { registerTaskShow } from './task-show.js';

/** `jackin task …`: the fleet task queue. */
export function registerTask(program: Command, context: CliContext): void {
  const task = program.command('task').description('queue work for the worker pool (`jackin queue run`)');
  registerTaskAdd(task, context);
  registerTaskImport(task, context);
  registerTaskList(task, context);
  registerTaskShow(task, context);
  registerTaskCancel(task, context);
  registerTaskRetry(task, context);
}
