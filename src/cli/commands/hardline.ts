import type { Command } from 'commander';
import type { SessionKind } from '../../engine/instances/attach.js';
import { NotFoundError, UsageError } from '../../kernel/errors.js';
import type { CliContext } from '../context.js';
import { instanceDeps, reconcileQuietly } from '../instance-session.js';
import { writeLine } from '../io.js';

interface HardlineOptions {
  new?: boolean;
  agent?: string;
  shell?: boolean;
}

/** `jackin hardline`: reattach to an instance's tmux session; a stopped instance is restarted in place. */
export function registerHardline(program: Command, context: CliContext): void {
  program
    .command('hardline')
    .description(
      'reattach to an instance (restarting it in place if it stopped); --new opens another agent, --shell a shell',
    )
    .argument('[instance]', 'instance id, name or role (default: the only running instance)')
    .option('--new', 'open another agent session (tmux window)')
    .option('--agent <name>', 'runtime for --new (default: the instance runtime)')
    .option('--shell', 'open a shell session')
    .action(async (selector: string | undefined, options: HardlineOptions) => {
      if (options.new && options.shell) throw new UsageError('--new and --shell cannot be combined');
      if (options.agent && !options.new) throw new UsageError('--agent needs --new');
      const [deps, { attachInstance }, { selectInstances }, { listInstances }] = await Promise.all([
        instanceDeps(context),
        import('../../engine/instances/attach.js'),
        import('../../engine/instances/select.js'),
        import('../../projections/instances.js'),
      ]);
      await reconcileQuietly(context, deps);
      const states = ['running', 'exited'] as const;
      let row;
      if (selector) [row] = selectInstances(deps.db, selector, { states, verb: 'attach to' });
      else {
        const rows = listInstances(deps.db, { states });
        if (rows.length === 0)
          throw new NotFoundError('no running or stopped instance', { hint: 'start one with `jackin load`' });
        if (rows.length > 1) {
          throw new UsageError(
            `${rows.length} instances could be meant: ${rows.map((r) => r.name).join(', ')}`,
            {
              hint: 'name one: `jackin hardline <id>`',
            },
          );
        }
        row = rows[0];
      }
      if (!row) return;
      const session: SessionKind = options.new
        ? { kind: 'new', agent: options.agent ?? row.runtime }
        : options.shell
          ? { kind: 'shell' }
          : { kind: 'attach' };
      const outcome = await attachInstance(deps, row, session);
      writeLine(context.io.stderr, `${outcome.name}: ${outcome.after}`);
    });
}
