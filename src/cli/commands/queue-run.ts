import type { Command } from 'commander';
import type { RunnerKind } from '../../app/fleet.js';
import { UsageError } from '../../kernel/errors.js';
import { parseBaseFlags } from '../image-options.js';
import { parseSize } from '../../kernel/size.js';
import { parseDuration } from '../../kernel/time.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { parsePositiveInt } from '../options.js';
import { parseCpus } from './task-add.js';

interface QueueRunOptions {
  concurrency: string;
  budgetMemory?: string;
  budgetCpus?: string;
  maxAttempts: string;
  taskTimeout: string;
  blockedTimeout: string;
  lease: string;
  retryBackoff: string;
  retryBackoffCap: string;
  poll: string;
  runner: string;
  once?: boolean;
  json?: boolean;
}

function parseRunner(value: string, RUNNER_KINDS: readonly RunnerKind[]): RunnerKind {
  const kind = RUNNER_KINDS.find((k) => k === value);
  if (!kind)
    throw new UsageError(`invalid --runner '${value}'`, {
      hint: `--runner takes ${RUNNER_KINDS.join(', ')}`,
    });
  return kind;
}

export function registerQueueRun(queue: Command, context: CliContext): void {
  queue
    .command('run')
    .description(
      'the worker pool: claim queued tasks and run each headless in a fresh instance (or worktree process)',
    )
    .option('--concurrency <n>', 'tasks at once', '2')
    .option('--budget-memory <size>', 'admit tasks only while their memory limits fit, e.g. 16g')
    .option('--budget-cpus <n>', 'admit tasks only while their CPU limits fit, e.g. 8')
    .option('--max-attempts <n>', 'attempts before a task is dead-lettered', '3')
    .option('--task-timeout <duration>', 'stop an attempt after this long', '60m')
    .option('--blocked-timeout <duration>', 'stop an agent reporting blocked for this long', '30m')
    .option('--lease <duration>', 'claim lease, renewed every third of it', '30s')
    .option('--retry-backoff <duration>', 'first retry delay, doubled per failure', '30s')
    .option('--retry-backoff-cap <duration>', 'longest retry delay', '30m')
    .option('--poll <duration>', 'how often an idle worker looks for work', '1s')
    .option(
      '--runner <kind>',
      'where attempts run: instance (a fresh container per task), local (a host process), auto (instance when Docker answers)',
      context.io.env.JACKIN_TASK_RUNNER ?? 'auto',
    )
    .option('--once', 'exit when nothing is queued, due or running')
    .option('--json', 'print the summary as {"worker":{...}} at the end')
    .action(async (options: QueueRunOptions) => {
      const concurrency = parsePositiveInt(options.concurrency, '--concurrency');
      const maxAttempts = parsePositiveInt(options.maxAttempts, '--max-attempts');
      const budget = {
        memoryBytes:
          options.budgetMemory === undefined ? undefined : parseSize(options.budgetMemory, '--budget-memory'),
        cpus: options.budgetCpus === undefined ? undefined : parseCpus(options.budgetCpus, '--budget-cpus'),
      };
      const durations = {
        taskTimeoutMs: parseDuration(options.taskTimeout, '--task-timeout'),
        blockedTimeoutMs: parseDuration(options.blockedTimeout, '--blocked-timeout'),
        leaseMs: parseDuration(options.lease, '--lease'),
        backoff: {
          baseMs: parseDuration(options.retryBackoff, '--retry-backoff'),
          capMs: Math.max(
            parseDuration(options.retryBackoffCap, '--retry-backoff-cap'),
            parseDuration(options.retryBackoff, '--retry-backoff'),
          ),
        },
        pollMs: parseDuration(options.poll, '--poll'),
      };
      const [app, { RUNNER_KINDS, createTaskRunner, taskPaths }, { QueueWorker }, { createTaskPublisher }] =
        await Promise.all([
          context.app(),
          import('../../app/fleet.js'),
          import('../../workers/queue-worker.js'),
          import('../../app/task-publisher.js'),
        ]);
      const kind = parseRunner(options.runner, RUNNER_KINDS);
      const { store } = await app.eventLog();
      const { runner, why } = await createTaskRunner(app, {
        kind,
        shared: parseBaseFlags({}, context.io.env),
      });
      // Progress goes to stderr under --json so stdout stays one JSON document.
      const out = options.json ? context.io.stderr : context.io.stdout;
      const worker = new QueueWorker(
        {
          db: store.db,
          store,
          ids: app.ids,
          clock: app.clock,
          logger: app.logger,
          runner,
          taskLogDir: taskPaths(app).logs,
          maxAttempts,
          ...durations,
          report: (line) => writeLine(out, line),
          publish: createTaskPublisher(app, store),
        },
        { concurrency, budget, once: options.once === true, pollMs: durations.pollMs },
      );
      let interrupts = 0;
      const onSignal = (signal: NodeJS.Signals): void => {
        interrupts += 1;
        if (interrupts === 1 && signal === 'SIGINT') {
          writeLine(
            context.io.stderr,
            'draining: no new claims; running tasks finish (SIGINT again to cancel them)',
          );
          worker.drain();
        } else {
          writeLine(context.io.stderr, 'cancelling running tasks');
          worker.interrupt();
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      writeLine(
        out,
        `worker ${worker.workerId}: ${runner.name} runner (${why}), concurrency ${concurrency}, max attempts ${maxAttempts}`,
      );
      try {
        const summary = await worker.run();
        if (options.json) writeJson(context.io.stdout, { worker: { id: worker.workerId, ...summary } });
        else {
          writeLine(
            out,
            `done: ${summary.claimed} claimed, ${summary.succeeded} succeeded, ${summary.failed} failed, ` +
              `${summary.dead_lettered} dead-lettered, ${summary.cancelled} cancelled, ${summary.lost} lost`,
          );
        }
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
