import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { registerImagesBootstrap } from './images-bootstrap.js';
import { registerImagesBuild } from './images-build.js';
import { registerImagesList } from './images-list.js';
import { registerImagesPrune } from './images-prune.js';

/** `jackin images …`: the construct, the DinD sidecar image, derived role images. */
export function registerImages(program: Command, context: CliContext): void {
  const images = program
    .command('images')
    .description('build, list and prune jackin images (construct, DinD, roles)');
  registerImagesList(images, context);
  registerImagesBuild(images, context);
  registerImagesBootstrap(images, context);
  registerImagesPrune(images, context);
}
