import type { DockerFacts } from '../engine/contract/session-contract.js';
import { createDockerRuntime } from '../runtime/docker/index.js';
import { privilegedSupport } from '../runtime/privileged.js';
import type { App } from './app.js';
import { probeImage } from './doctor-deps.js';

/**
 * What `explain` needs from Docker: how the sidecar would run. Uses the cached detection (a probe
 * only on a new engine, with transient labelled containers); "unknown" when Docker cannot answer.
 */
export function dockerFacts(app: App): DockerFacts {
  return {
    sidecarMode: async () => {
      try {
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
