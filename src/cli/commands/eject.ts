import type { Command } from 'commander';
import { UsageError } from '../../kernel/errors.js';
import type { CliContext } from '../context.js';
import { instanceDeps, reconcileQuietly } from '../instance-session.js';
import { writeJson, writeLine } from '../io.js';

const EJECTABLE = ['requested', 'launching', 'running', 'exited', 'ejecting', 'failed', 'lost'] as const;

/** `jackin eject`: remove an instance's containers, sidecar, certs volume and network (`--purge`: its state too). */
export function registerEject(program: Command, context: CliContext): void {
  program
    .command('eject')
    .description(
      "remove an instance's containers, sidecar, certs volume and network; keeps its state unless --purge",
    )
    .argument('<instance>', 'instance id, name or role')
    .option('--all', 'eject every instance the selector matches')
    .option('--purge', 'also delete the instance state and its isolated checkouts')
    .option('--json', 'print {"instances":[{"id","name","removed","kept","purged"}]}')
    .action(async (selector: string, options: { all?: boolean; purge?: boolean; json?: boolean }) => {
      if (!selector)
        throw new UsageError('name an instance to eject', { hint: '`jackin exile` ejects them all' });
      const [deps, { ejectInstance }, { selectInstances }] = await Promise.all([
        instanceDeps(context, { quiet: true }),
        import('../../engine/instances/eject.js'),
        import('../../engine/instances/select.js'),
      ]);
      await reconcileQuietly(context, deps);
      const rows = selectInstances(deps.db, selector, {
        states: EJECTABLE,
        all: options.all ?? false,
        verb: 'eject',
      });
      const results = [];
      for (const row of rows) {
        const result = await ejectInstance(deps, row, options.purge ?? false);
        results.push(result);
        if (!options.json) {
          writeLine(
            context.io.stdout,
            `ejected ${result.name} (${result.removed.length} object(s) removed${result.purged ? ', state purged' : ''})`,
          );
          for (const kept of result.kept) writeLine(context.io.stdout, `  kept ${kept}`);
        }
      }
      if (options.json) writeJson(context.io.stdout, { instances: results });
    });
}
