import type { Command } from 'commander';
import { parseTimeBound } from '../../kernel/time.js';
import type { CliContext } from '../context.js';

export function registerEventsExport(events: Command, context: CliContext): void {
  events
    .command('export')
    .description('write the log as JSON Lines to stdout (import round-trips it exactly)')
    .option('--since <time>', 'only events recorded from this time (ISO or relative)')
    .action(async (options: { since?: string }) => {
      const [app, { exportLine }] = await Promise.all([context.app(), import('../../events/transfer.js')]);
      const since =
        options.since === undefined
          ? undefined
          : parseTimeBound(options.since, app.clock.now(), '--since').toISOString();
      const { store } = await app.eventLog();
      const { stdout } = context.io;
      for (const row of store.iterateRows({ since })) {
        if (!stdout.write(`${exportLine(row)}\n`))
          await new Promise((resolve) => stdout.once('drain', resolve));
      }
    });
}
