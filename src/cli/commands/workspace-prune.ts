import type { Command } from 'commander';
import { workspaceStream } from '../../engine/config/record.js';
import { NotFoundError } from '../../kernel/errors.js';
import { findRedundant } from '../../workspaces/mount-plan.js';
import { configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function registerWorkspacePrune(workspace: Command, context: CliContext): void {
  workspace
    .command('prune')
    .description('drop mounts already covered by another mount at the same offset')
    .argument('<name>', 'workspace name')
    .option('--json', 'print {"workspace":{"name","pruned":[...]}}')
    .action(async (name: string, options: { json?: boolean }) => {
      const [session, { diffTables }] = await Promise.all([
        configSession(context),
        import('../../config/safe-view.js'),
      ]);
      const pruned = await session.files.updateWorkspace(
        name,
        (current) => {
          if (!current) throw new NotFoundError(`no workspace named '${name}'`);
          const redundant = findRedundant(current.mounts);
          return {
            next: { ...current, mounts: current.mounts.filter((m) => !redundant.includes(m)) },
            result: redundant,
          };
        },
        async ({ before, after }) => {
          const changes = diffTables(before, after);
          if (changes.length > 0)
            await session.record(workspaceStream(name), [
              { type: 'WorkspaceChanged', data: { workspace: name, changes } },
            ]);
        },
      );
      if (options.json) {
        writeJson(context.io.stdout, { workspace: { name, pruned } });
        return;
      }
      if (pruned.length === 0) writeLine(context.io.stdout, `workspace ${name}: nothing to prune`);
      for (const m of pruned) writeLine(context.io.stdout, `pruned ${m.src} → ${m.dst}`);
    });
}
