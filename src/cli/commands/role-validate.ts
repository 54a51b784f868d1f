import type { Command } from 'commander';
import { resolve } from 'node:path';
import { renderProblem } from '../../config/issues.js';
import type { RoleValidation } from '../../roles/manifest-validate.js';
import { configSession } from '../config-writer.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../io.js';

export function validationToJson(v: RoleValidation): Record<string, unknown> {
  return {
    dir: v.dir,
    file: v.file,
    version: v.version,
    valid: v.manifest !== undefined,
    from: v.from?.ok ? { image: v.from.image, mapped_from_jackin_prime: v.from.mapped } : null,
    problems: v.problems.map((p) => ({
      file: p.file,
      line: p.line ?? null,
      path: p.path,
      message: p.message,
      severity: p.severity,
      text: renderProblem(p),
    })),
  };
}

export function registerRoleValidate(role: Command, context: CliContext): void {
  role
    .command('validate')
    .description('check a role repo: manifest, env declarations, hooks, Dockerfile FROM; lists every problem')
    .argument('[path]', 'role directory', '.')
    .option('--json', 'print {"role":{"valid","problems":[...]}}')
    .action(async (path: string, options: { json?: boolean }) => {
      const [{ files }, { validateRoleDir }, { manifestError }] = await Promise.all([
        configSession(context),
        import('../../roles/manifest-validate.js'),
        import('../../roles/resolve-role.js'),
      ]);
      const config = await files
        .loadConfig()
        .then((c) => c.value)
        .catch(() => undefined);
      const dir = resolve(context.io.cwd, path);
      const validation = await validateRoleDir(dir, { extraRuntimes: Object.keys(config?.runtimes ?? {}) });
      if (options.json) writeJson(context.io.stdout, { role: validationToJson(validation) });
      else for (const problem of validation.problems) writeLine(context.io.stderr, renderProblem(problem));
      if (!validation.manifest) throw manifestError(validation);
      if (!options.json) writeLine(context.io.stdout, `ok: ${validation.file} (${validation.version})`);
    });
}
