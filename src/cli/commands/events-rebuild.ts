import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function registerEventsRebuild(events: Command, context: CliContext): void {
  events
    .command('rebuild')
    .description('drop every projection and replay the whole log into it')
    .option('--json', 'print {"rebuild":{...}}')
    .action(async (options: { json?: boolean }) => {
      const { projector } = await (await context.app()).eventLog();
      const started = performance.now();
      const applied = projector.rebuild();
      const ms = Math.round(performance.now() - started);
      const projections = projector.projections.map((p) => ({ name: p.name, version: p.version }));
      if (options.json)
        writeJson(context.io.stdout, { rebuild: { events_applied: applied, ms, projections } });
      else
        writeLine(
          context.io.stdout,
          `rebuilt ${projections.map((p) => p.name).join(', ')} from ${applied} events in ${ms} ms`,
        );
    });
}
