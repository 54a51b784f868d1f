import type { Command } from 'commander';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function registerRoleCreate(role: Command, context: CliContext): void {
  role
    .command('create')
    .description('scaffold a new role (jackin.role.toml, Dockerfile FROM the construct, README)')
    .argument('<name>', 'name or owner/name')
    .argument(
      '[dir]',
      'where to create it (default: $JACKIN_PROJECTS_DIR or ~/Projects, then [owner/]jackin-<name>)',
    )
    .option('--json', 'print {"role":{"dir","files"}}')
    .action(async (name: string, dir: string | undefined, options: { json?: boolean }) => {
      const [{ createRole, defaultRoleDir }, { parseRoleSelector }, { emptyConfig }] = await Promise.all([
        import('../../roles/scaffold.js'),
        import('../../roles/selector.js'),
        import('../../config/config-schema.js'),
      ]);
      const { env, cwd } = context.io;
      const home = env.HOME ?? homedir();
      const source = parseRoleSelector(name, { config: emptyConfig(), cwd, home });
      const target = dir
        ? resolve(cwd, dir)
        : defaultRoleDir(source.key, env.JACKIN_PROJECTS_DIR ?? join(home, 'Projects'));
      const files = await createRole(source.key, target);
      if (options.json) writeJson(context.io.stdout, { role: { dir: target, files } });
      else writeLine(context.io.stdout, `created role ${source.key} in ${target}`);
    });
}
