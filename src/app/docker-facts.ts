import type { DockerFacts } from '../engine/contract/session-contract.js';
import type { ContainerRuntime } from '../runtime/port.js';
import type { App } from './app.js';

/**
 * What `explain` needs from Docker: how the sidecar would run. Uses the cached detection (a probe
 * only on a new engine, with transient labelled containers); "unknown" when Docker cannot answer.
 * `runtime` is the caller's client when it has one (a launch), else one is made on first question.
 */
export function dockerFacts(app: App, runtime?: ContainerRuntime): DockerFacts {
  return {
    sidecarMode: async () => {
      try {
        // Loaded on the first question only; the probe-image lookup is its own small module.
        const [client, { cachedPrivilegedSupport, privilegedSupport }, { probeImage }] = await Promise.all([
          runtime ??
            import('../runtime/docker/index.js').then(({ createDockerRuntime }) =>
              createDockerRuntime(app.env),
            ),
          import('../runtime/privileged.js'),
          import('./probe-image.js'),
        ]);
        // An engine seen before answers from the cache: no image listing to find a probe image.
        const cached = await cachedPrivilegedSupport(client, app.paths.engineCache);
        if (cached) return cached.mode;
        const image = await probeImage(client);
        if (!image) return 'unknown';
        return (await privilegedSupport(client, { probeImage: image, cacheDir: app.paths.engineCache })).mode;
      } catch {
        return 'unknown';
      }
    },
  };
}
