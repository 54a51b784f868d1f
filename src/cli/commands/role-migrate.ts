import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { CliContext } from '../context.js';
import { writeLine } from '../io.js';

/**
 * MANIFEST_VERSION of src/roles/manifest-schema.ts, spelled out so that registering the command does
 * not load the manifest schema (test/cli/lazy-startup.unit.test.ts keeps the two equal).
 */
export const CURRENT_MANIFEST_VERSION = 'v1alpha7';

export function registerRoleMigrate(role: Command, context: CliContext): void {
  role
    .command('migrate')
    .description(`restamp a role manifest at ${CURRENT_MANIFEST_VERSION}, then validate it`)
    .argument('[path]', 'role directory', '.')
    .action(async (path: string) => {
      const [{ migrateManifestFile }, { MANIFEST_VERSION }, { validateRoleDir }, { manifestError }] =
        await Promise.all([
          import('../../roles/manifest-migrate.js'),
          import('../../roles/manifest-schema.js'),
          import('../../roles/manifest-validate.js'),
          import('../../roles/resolve-role.js'),
        ]);
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
