import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { instanceDeps } from '../instance-session.js';
import { writeLine } from '../io.js';

/**
 * `jackin watch INSTANCE`: follows the agent's main tmux session and records status changes and
 * tags. `load` and `hardline` start it detached; it ends when the container is gone or on SIGTERM.
 */
export function registerWatch(program: Command, context: CliContext): void {
  program
    .command('watch')
    .description(
      "follow an instance's agent session and record AgentStatusChanged / AgentTagEmitted (load and hardline start it in the background)",
    )
    .argument('<instance>', 'instance id, id prefix or name')
    .action(async (selector: string) => {
      const [
        deps,
        { statusWatchDeps },
        { ownerAlive },
        { claimWatcher, watchInstanceStatus },
        { selectInstances },
      ] = await Promise.all([
        instanceDeps(context, { quiet: true }),
        import('../../app/status-watcher.js'),
        import('../../app/owner-alive.js'),
        import('../../engine/instances/status-watch.js'),
        import('../../engine/instances/select.js'),
      ]);
      const [row] = selectInstances(deps.db, selector, { verb: 'watch', states: ['running', 'launching'] });
      if (!row) return;
      const release = claimWatcher(join(deps.paths.data, row.name), process.pid, (pid) =>
        ownerAlive({ host: deps.owner.host, pid }),
      );
      if (!release) {
        writeLine(context.io.stderr, `${row.name}: already watched`);
        return;
      }
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      try {
        const end = await watchInstanceStatus(
          row,
          await statusWatchDeps(await context.app(), deps.runtime),
          controller.signal,
        );
        writeLine(context.io.stderr, `${row.name}: watch ended (${end})`);
      } finally {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
        release();
      }
    });
}
