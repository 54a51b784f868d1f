import type { EngineInfo } from '../../runtime/port.js';
import { firstLine } from './check.js';
import type { DoctorCheck } from './check.js';
import { DockerCliMissing } from './docker-cli.js';
import type { DockerCli } from './docker-cli.js';

/** Docker reachable through the runtime port (the way jackin reaches it), and which engine answered. */
export function dockerCheck(engineInfo: () => Promise<EngineInfo>): DoctorCheck {
  return {
    name: 'docker',
    async run() {
      // The message alone: the command's closing hint already says how to start an engine.
      let engine: EngineInfo;
      try {
        engine = await engineInfo();
      } catch (error) {
        return { status: 'fail', detail: firstLine(error instanceof Error ? error.message : String(error)) };
      }
      return {
        status: 'ok',
        detail: `engine ${engine.serverVersion} (API ${engine.apiVersion}, ${engine.os}, ${engine.architecture}) at ${engine.endpoint}`,
      };
    },
  };
}

/** The docker CLI is present: attaching to a session runs `docker exec -it`. */
export function dockerCliCheck(cli: DockerCli): DoctorCheck {
  return {
    name: 'docker CLI',
    async run() {
      try {
        return { status: 'ok', detail: `client ${await cli.clientVersion()}` };
      } catch (error) {
        if (!(error instanceof DockerCliMissing)) throw error;
        return {
          status: 'warn',
          detail: `${error.message}; attaching to sessions needs it (Debian: apt-get install docker.io)`,
        };
      }
    },
  };
}
