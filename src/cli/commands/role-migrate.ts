import type { Command } from 'commander';
import { resolve } from 'node:path';
import { migrateManifestFile } from '../../roles/manifest-migrate.js';
import { MANIFEST_VERSION } from '../../roles/manifest-schema.js';
import { validateRoleDir } from '../../roles/manifest-validate.js';
import { manifestError } from '../../roles/resolve-role.js';
import type { CliContext } from '../context.js';
import { writeLine } from '../io.js';

export function registerRoleMigrate(role: Command, context: CliContext): void {
  role
    .command('migrate')
    .description(`restamp a role manifest at ${MANIFEST_VERSION}, then validate it`)
    .argument('[path]', 'role directory', '.')
    .action(async (path: string) => {
      const dir = resolve(context.io.cwd, path);
      const { file, changed } = await migrateManifestFile(dir);
      const validation = await validateRoleDir(dir);
      if (!validation.manifest) throw manifestError(validation);
      writeLine(
        context.io.stdout,
        changed ? `migrated ${file} to ${MANIFEST_VERSION}` : `${file} is already at ${MANIFEST_VERSION}`,
      );
    });
}
