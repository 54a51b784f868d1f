import type { DockerFacts } from '../engine/contract/session-contract.js';
import type { App } from './app.js';

/**
 * What `explain` needs from Docker: how the sidecar would run. Uses the cached detection (a probe
 * only on a new engine, with transient labelled containers); "unknown" when Docker cannot answer.
 */
export function dockerFacts(app: App): DockerFacts {
  return {
    sidecarMode: async () => {
      try {
        // Loaded on the first question only: the doctor's probe pulls in its whole dependency tree.
        const [{ createDockerRuntime }, { privilegedSupport }, { probeImage }] = await Promise.all([
          import('../runtime/docker/index.js'),
          import('../runtime/privileged.js'),
          import('./doctor-deps.js'),
        ]);
        const runtime = createDockerRuntime(app.env);
        const image = await probeImage(runtime);
        if (!image) return 'unknown';
        return (await privilegedSupport(runtime, { probeImage: image, cacheDir: app.paths.cache })).mode;
      } catch {
        return 'unknown';
      }
    },
  };
}
