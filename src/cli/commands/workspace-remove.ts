import type { Command } from 'commander';
import { workspaceStream } from '../../engine/config/record.js';
import { NotFoundError } from '../../kernel/errors.js';
import { configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function registerWorkspaceRemove(workspace: Command, context: CliContext): void {
  workspace
    .command('remove')
    .description('delete a workspace file (instances and their state are not touched)')
    .argument('<name>', 'workspace name')
    .option('--json', 'print {"workspace":{"name","removed":true}}')
    .action(async (name: string, options: { json?: boolean }) => {
      const session = await configSession(context);
      await session.files.updateWorkspace(
        name,
        (current) => {
          if (!current)
            throw new NotFoundError(`no workspace named '${name}'`, { hint: 'see `jackin workspace list`' });
          return { next: undefined, result: undefined };
        },
        async () =>
          session.record(workspaceStream(name), [{ type: 'WorkspaceRemoved', data: { workspace: name } }]),
      );
      if (options.json) writeJson(context.io.stdout, { workspace: { name, removed: true } });
      else writeLine(context.io.stdout, `removed workspace ${name}`);
    });
}
