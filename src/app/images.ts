import { join } from 'node:path';
import { ConfigStore } from '../config/config-store.js';
import { detectExtraCaCerts } from '../images/ca-certs.js';
import type { ExtraCaCert } from '../images/ca-certs.js';
import { assetDir } from '../images/assets.js';
import { ImageService } from '../images/image-service.js';
import type { ImageProgress } from '../images/image-service.js';
import { createDockerRuntime } from '../runtime/docker/index.js';
import type { ContainerRuntime } from '../runtime/port.js';
import type { App } from './app.js';
import type { Logger } from '../logging/logger.js';

/** The real container runtime for this process (Docker, resolved like the docker CLI). */
export function containerRuntime(app: App): ContainerRuntime {
  return createDockerRuntime(app.env);
}

/**
 * The app's logger, made (pino, the log file) when the service first writes a line: a launch that
 * reuses every image writes none.
 */
function lazyLogger(app: App): Logger {
  return new Proxy({} as Logger, {
    get(_target, key) {
      const logger = app.logger;
      const value: unknown = Reflect.get(logger, key, logger);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(logger) : value;
    },
  });
}

/** Wires the image service to Docker, the event log (stream `image-<tag>`) and the logger. */
export async function createImageService(
  app: App,
  runtime: ContainerRuntime,
  onProgress?: (progress: ImageProgress) => void,
): Promise<ImageService> {
  const { store } = await app.eventLog();
  const config = (await new ConfigStore(app.paths.configDir).loadConfig()).value;
  let certs: readonly ExtraCaCert[] | undefined;
  return new ImageService({
    runtime,
    record: async (tag, event) => {
      await store.append(`image-${tag}`, [event], { expectedVersion: 'any' });
    },
    clock: app.clock,
    logger: lazyLogger(app),
    env: app.env,
    imagesDir: assetDir('images'),
    workDir: join(app.paths.cache, 'images'),
    // Read when an image is first checked, not when the service is made: a launch makes the service
    // before its intent, and reading and parsing the certificates can wait until then.
    get certs() {
      return (certs ??= detectExtraCaCerts({
        env: app.env,
        ...(config.extra_ca_certs ? { configured: config.extra_ca_certs } : {}),
      }));
    },
    ...(onProgress ? { onProgress } : {}),
  });
}
