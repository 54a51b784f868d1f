import type { Command } from 'commander';
import { workspaceStream } from '../../engine/config/record.js';
import { NotFoundError } from '../../kernel/errors.js';
import { configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';

/** The env editing helpers and the config differ, loaded inside an action (they pull the config schema). */
async function envTools() {
  const [edit, value, view] = await Promise.all([
    import('../../config/env-edit.js'),
    import('../../config/env-value.js'),
    import('../../config/safe-view.js'),
  ]);
  return { ...edit, ...value, ...view };
}

/** `jackin workspace env set|unset|list`: the workspace and workspace × role env layers. */
export function registerWorkspaceEnv(workspace: Command, context: CliContext): void {
  const env = workspace.command('env').description('env vars of a workspace (or workspace × role)');

  env
    .command('set')
    .description('set KEY to a literal, $HOST_VAR, or op://vault/item/field')
    .argument('<workspace>')
    .argument('<key>')
    .argument('<value>')
    .option('--role <role>', 'only for this role in this workspace')
    .action(async (name: string, key: string, value: string, options: { role?: string }) => {
      const [session, { parseEnvValue, setEnv, diffTables, describeSource, envSource }] = await Promise.all([
        configSession(context),
        envTools(),
      ]);
      const parsed = parseEnvValue(key, value);
      await session.files.updateWorkspace(
        name,
        (current) => {
          if (!current) throw new NotFoundError(`no workspace named '${name}'`);
          return { next: setEnv(current, options.role, key, parsed), result: undefined };
        },
        async ({ before, after }) => {
          const changes = diffTables(before, after);
          if (changes.length > 0)
            await session.record(workspaceStream(name), [
              { type: 'WorkspaceChanged', data: { workspace: name, changes } },
            ]);
        },
      );
      writeLine(context.io.stdout, `${key} set (${describeSource(envSource(parsed))})`);
    });

  env
    .command('unset')
    .description('remove KEY')
    .argument('<workspace>')
    .argument('<key>')
    .option('--role <role>', 'from this role’s layer in this workspace')
    .action(async (name: string, key: string, options: { role?: string }) => {
      const [session, { unsetEnv, diffTables }] = await Promise.all([configSession(context), envTools()]);
      const removed = await session.files.updateWorkspace(
        name,
        (current) => {
          if (!current) throw new NotFoundError(`no workspace named '${name}'`);
          const done = unsetEnv(current, options.role, key);
          return { next: current, result: done };
        },
        async ({ before, after }) => {
          const changes = diffTables(before, after);
          if (changes.length > 0)
            await session.record(workspaceStream(name), [
              { type: 'WorkspaceChanged', data: { workspace: name, changes } },
            ]);
        },
      );
      writeLine(context.io.stdout, removed ? `${key} unset.` : `${key} not set.`);
    });

  env
    .command('list')
    .description('list env names and their sources (values of literals are not shown)')
    .argument('<workspace>')
    .option('--role <role>', 'this role’s layer in this workspace')
    .option('--json', 'print {"env":[{"key","source"}]}')
    .action(async (name: string, options: { role?: string; json?: boolean }) => {
      const [{ files }, { envOf, envSource, describeSource }] = await Promise.all([
        configSession(context),
        envTools(),
      ]);
      const ws = (await files.loadWorkspace(name)).value;
      const rows = Object.entries(envOf(ws, options.role)).map(([key, value]) => ({
        key,
        source: envSource(value),
      }));
      if (options.json) {
        writeJson(context.io.stdout, { env: rows });
        return;
      }
      if (rows.length === 0) writeLine(context.io.stdout, 'No env vars set.');
      else
        writeLine(
          context.io.stdout,
          renderTable(
            ['Key', 'Source'],
            rows.map((r) => [r.key, describeSource(r.source)]),
          ),
        );
    });
}
