import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../kernel/errors.js';
import { builtinRolesDir, isBuiltinRole } from '../../roles/builtin.js';
import type { ImageOutcome } from '../../images/image-service.js';
import type { CliContext } from '../context.js';
import { parseBaseFlags } from '../image-options.js';
import type { BaseFlags } from '../image-options.js';
import { writeJson, writeLine } from '../io.js';

interface BuildFlags extends BaseFlags {
  json?: boolean;
  rebuild?: boolean;
}

export function outcomeJson(o: ImageOutcome): Record<string, unknown> {
  return {
    image: o.image,
    tag: o.tag,
    id: o.imageId,
    recipe_hash: o.recipeHash,
    cache: o.cache,
    path: o.path,
    duration_ms: Math.round(o.durationMs),
  };
}

function describe(o: ImageOutcome): string {
  const how = {
    reuse: 'reused',
    build: 'built',
    bootstrap: 'bootstrapped offline',
    pull: 'pulled',
    registry: 'local registry image',
  }[o.path];
  return `${o.image.padEnd(9)} ${o.tag}  ${how} (${(o.durationMs / 1000).toFixed(1)}s)`;
}

/** A role directory, or the key of a built-in role (`agent-smith`). */
function roleDirOf(role: string, cwd: string): string {
  const path = resolve(cwd, role);
  if (existsSync(path)) return path;
  if (isBuiltinRole(role)) return join(builtinRolesDir(), role);
  throw new UsageError(`no role directory '${role}'`, {
    hint: 'give a directory holding a Dockerfile and jackin.role.toml, or a built-in role (agent-smith)',
  });
}

export function registerImagesBuild(images: Command, context: CliContext): void {
  images
    .command('build')
    .description(
      'build whatever is missing: Debian base, construct, DinD image, and the derived image of each role given',
    )
    .argument(
      '[roles...]',
      'role directories (each with a Dockerfile FROM the construct) or built-in role keys',
    )
    .option('--rebuild', 'build again even when the recipe is unchanged (construct, DinD and roles)')
    .option(
      '--base <source>',
      'Debian base: auto (local, else registry, else debootstrap), registry, offline',
    )
    .option('--suite <suite>', 'Debian suite for the offline base (default bookworm)')
    .option('--mirror <url>', 'Debian mirror for the offline base (default http://deb.debian.org/debian)')
    .option(
      '--dind-image <ref>',
      "use a registry DinD image (e.g. docker:dind) instead of building jackin's own",
    )
    .option('--json', 'print {"images":[...],"dind_mode":{...}}')
    .action(async (roles: string[], flags: BuildFlags) => {
      const { base, bootstrap, dind: dindSource } = parseBaseFlags(flags, context.io.env);
      const roleDirs = roles.map((role) => roleDirOf(role, context.io.cwd));
      const [
        app,
        { containerRuntime, createImageService },
        { STUB_RUNTIME },
        { privilegedSupport },
        { buildProgressPrinter },
      ] = await Promise.all([
        context.app(),
        import('../../app/images.js'),
        import('../../images/derived-image.js'),
        import('../../runtime/privileged.js'),
        import('../render/build-progress.js'),
      ]);
      const runtime = containerRuntime(app);
      await runtime.engine.info();
      const service = await createImageService(
        app,
        runtime,
        buildProgressPrinter(context.io.stderr, app.debug),
      );
      const rebuild = flags.rebuild ?? false;
      const shared = await service.ensureSharedImages({ base, bootstrap, rebuild, dind: dindSource });
      const outcomes: ImageOutcome[] = [shared.base, shared.construct, shared.dind];
      const identity = { uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 };
      for (const roleDir of roleDirs) {
        outcomes.push(
          await service.ensureDerived(
            { roleDir, identity, runtimes: [STUB_RUNTIME] },
            shared.construct,
            rebuild,
          ),
        );
      }
      const dind = await privilegedSupport(runtime, {
        probeImage: shared.base.tag,
        cacheDir: app.paths.engineCache,
      });
      if (flags.json) {
        writeJson(context.io.stdout, {
          images: outcomes.map(outcomeJson),
          dind_mode: {
            mode: dind.mode,
            reason: dind.reason,
            ...(dind.mode === 'equivalent' ? { missing_capabilities: dind.missingCapabilities } : {}),
          },
        });
        return;
      }
      for (const outcome of outcomes) writeLine(context.io.stdout, describe(outcome));
      writeLine(context.io.stdout, `dind mode: ${dind.mode} (${dind.reason})`);
    });
}
