import type { Command } from 'commander';
import { configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';
import { renderTable } from '../table.js';
import { recordConfigDiff } from './config-mount.js';

/** The env editing helpers, loaded inside an action (they pull the config schema). */
async function envTools() {
  const [edit, value] = await Promise.all([
    import('../../config/env-edit.js'),
    import('../../config/env-value.js'),
  ]);
  return { ...edit, ...value };
}

/** `jackin config env set|unset|list`: the global and per-role env layers. */
export function registerConfigEnv(config: Command, context: CliContext): void {
  const env = config.command('env').description('global and per-role env vars');

  env
    .command('set')
    .description('set KEY to a literal, $HOST_VAR, or op://vault/item/field')
    .argument('<key>')
    .argument('<value>')
    .option('--role <role>', 'only for this role')
    .action(async (key: string, value: string, options: { role?: string }) => {
      const [session, { parseEnvValue, setEnv, describeSource, envSource }] = await Promise.all([
        configSession(context),
        envTools(),
      ]);
      const parsed = parseEnvValue(key, value);
      await session.files.updateConfig(
        (current) => ({ next: setEnv(current, options.role, key, parsed), result: undefined }),
        recordConfigDiff(session),
      );
      writeLine(context.io.stdout, `${key} set (${describeSource(envSource(parsed))})`);
    });

  env
    .command('unset')
    .description('remove KEY')
    .argument('<key>')
    .option('--role <role>', 'from this role’s layer')
    .action(async (key: string, options: { role?: string }) => {
      const [session, { unsetEnv }] = await Promise.all([configSession(context), envTools()]);
      const removed = await session.files.updateConfig((current) => {
        const done = unsetEnv(current, options.role, key);
        return { next: current, result: done };
      }, recordConfigDiff(session));
      writeLine(context.io.stdout, removed ? `${key} unset.` : `${key} not set.`);
    });

  env
    .command('list')
    .description('list env names and their sources')
    .option('--role <role>', 'this role’s layer')
    .option('--json', 'print {"env":[{"key","source"}]}')
    .action(async (options: { role?: string; json?: boolean }) => {
      const [{ files }, { envOf, envSource, describeSource }] = await Promise.all([
        configSession(context),
        envTools(),
      ]);
      const rows = Object.entries(envOf((await files.loadConfig()).value, options.role)).map(
        ([key, value]) => ({ key, source: envSource(value) }),
      );
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
