import type { DoctorCheck } from './check.js';
import type { DockerDescription } from './docker-probe.js';

/** Docker reachable, and which engine answered. */
export function dockerCheck(describe: () => Promise<DockerDescription>): DoctorCheck {
  return {
    name: 'docker',
    async run() {
      const docker = await describe();
      return {
        status: 'ok',
        detail: `engine ${docker.serverVersion} (API ${docker.apiVersion}, ${docker.os}/${docker.arch}), client ${docker.clientVersion}`,
      };
    },
  };
}
