import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { parseBaseFlags } from '../image-options.js';
import type { BaseFlags } from '../image-options.js';
import { writeJson, writeLine } from '../io.js';
import { outcomeJson } from './images-build.js';

export function registerImagesBootstrap(images: Command, context: CliContext): void {
  images
    .command('bootstrap')
    .description(
      'produce the Debian base image offline: debootstrap --variant=minbase + docker import (Linux, root)',
    )
    .option('--suite <suite>', 'Debian suite (default bookworm, or JACKIN_DEBIAN_SUITE)')
    .option('--mirror <url>', 'Debian mirror (default http://deb.debian.org/debian, or JACKIN_DEBIAN_MIRROR)')
    .option('--rebuild', 'bootstrap again even when the base image exists')
    .option('--json', 'print {"image":{...}}')
    .action(async (flags: BaseFlags & { json?: boolean; rebuild?: boolean }) => {
      const { bootstrap } = parseBaseFlags(flags, context.io.env);
      const [app, { containerRuntime, createImageService }, { buildProgressPrinter }] = await Promise.all([
        context.app(),
        import('../../app/images.js'),
        import('../render/build-progress.js'),
      ]);
      const runtime = containerRuntime(app);
      await runtime.engine.info();
      const service = await createImageService(
        app,
        runtime,
        buildProgressPrinter(context.io.stderr, app.debug),
      );
      const outcome = await service.bootstrapBase(bootstrap, flags.rebuild ?? false);
      if (flags.json) writeJson(context.io.stdout, { image: outcomeJson(outcome) });
      else
        writeLine(
          context.io.stdout,
          `base ${outcome.tag} ${outcome.cache === 'hit' ? 'already present' : 'bootstrapped'} (${outcome.imageId.slice(7, 19)})`,
        );
    });
}
