import { join } from 'node:path';
import { ConfigStore } from '../config/config-store.js';
import { detectExtraCaCerts } from '../images/ca-certs.js';
import { assetDir } from '../images/assets.js';
import { ImageService } from '../images/image-service.js';
import type { ImageProgress } from '../images/image-service.js';
import { createDockerRuntime } from '../runtime/docker/index.js';
import type { ContainerRuntime } from '../runtime/port.js';
import type { App } from './app.js';

/** The real container runtime for this process (Docker, resolved like the docker CLI). */
export function containerRuntime(app: App): ContainerRuntime {
  return createDockerRuntime(app.env);
}

/** Wires the image service to Docker, the event log (stream `image-<tag>`) and the logger. */
export async function createImageService(
  app: App,
  runtime: ContainerRuntime,
  onProgress?: (progress: ImageProgress) => void,
): Promise<ImageService> {
  const { store } = await app.eventLog();
  const config = (await new ConfigStore(app.paths.configDir).loadConfig()).value;
  return new ImageService({
    runtime,
    record: async (tag, event) => {
      await store.append(`image-${tag}`, [event], { expectedVersion: 'any' });
    },
    clock: app.clock,
    logger: app.logger,
    env: app.env,
    imagesDir: assetDir('images'),
    workDir: join(app.paths.cache, 'images'),
    certs: detectExtraCaCerts({
      env: app.env,
      ...(config.extra_ca_certs ? { configured: config.extra_ca_certs } : {}),
    }),
    ...(onProgress ? { onProgress } : {}),
  });
}
