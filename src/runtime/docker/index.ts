import type DockerType from 'dockerode';
import { DockerUnavailableError } from '../../kernel/errors.js';
import type { ContainerRuntime, EngineClient, EngineInfo } from '../port.js';
import { DockerContainers } from './containers.js';
// dockerode without its BuildKit-session (gRPC) and ssh stacks loaded up front (see dockerode.ts).
import { dockerode } from './dockerode.js';
import { resolveDockerEndpoint, dockerodeOptions } from './connect.js';
import type { DockerEndpoint } from './connect.js';
import { call } from './errors.js';
import { DockerImages } from './images.js';
import { DockerNetworks, DockerVolumes } from './networks.js';

export type { DockerEndpoint } from './connect.js';
export { resolveDockerEndpoint } from './connect.js';

/**
 * How long one answer to `info()` is reused. A launch asks three times in its first ~40 ms (is the
 * engine up, the sidecar's mode, the image's privileged-mode check), and GET /info is one of the
 * engine's costliest calls; a long-running process still sees an engine that changed.
 */
const INFO_REUSE_MS = 2000;

class DockerEngine implements EngineClient {
  private recent: { readonly at: number; readonly info: Promise<EngineInfo> } | undefined;

  constructor(
    private readonly docker: DockerType,
    private readonly endpoint: string,
  ) {}

  /** The engine's facts: one request shared by the callers of the last INFO_REUSE_MS; a failure is not kept. */
  info(): Promise<EngineInfo> {
    const now = Date.now();
    if (this.recent && now - this.recent.at < INFO_REUSE_MS) return this.recent.info;
    const info = this.read();
    const recent = { at: now, info };
    this.recent = recent;
    info.catch(() => {
      if (this.recent === recent) this.recent = undefined;
    });
    return info;
  }

  private async read(): Promise<EngineInfo> {
    const [info, version] = await Promise.all([
      call('read engine info', this.endpoint, () => this.docker.info() as Promise<Record<string, unknown>>),
      call('read engine version', this.endpoint, () => this.docker.version()),
    ]);
    const text = (key: string): string => (typeof info[key] === 'string' ? info[key] : '');
    return {
      id: text('ID'),
      name: text('Name'),
      serverVersion: text('ServerVersion'),
      apiVersion: version.ApiVersion,
      os: text('OperatingSystem'),
      architecture: text('Architecture'),
      kernelVersion: text('KernelVersion'),
      cgroupVersion: text('CgroupVersion') || '1',
      cgroupDriver: text('CgroupDriver'),
      endpoint: this.endpoint,
    };
  }
}

/** The real runtime: dockerode, reached the way the docker CLI would (see connect.ts). */
export function createDockerRuntime(
  env: NodeJS.ProcessEnv,
  endpoint: DockerEndpoint = resolveDockerEndpoint(env),
): ContainerRuntime {
  let docker: DockerType;
  try {
    const Docker = dockerode();
    docker = new Docker(dockerodeOptions(endpoint));
  } catch (error) {
    throw new DockerUnavailableError(`cannot use the Docker endpoint ${endpoint.url}: ${String(error)}`, {
      cause: error,
    });
  }
  return {
    engine: new DockerEngine(docker, endpoint.url),
    images: new DockerImages(docker, endpoint.url),
    containers: new DockerContainers(docker, endpoint.url),
    networks: new DockerNetworks(docker, endpoint.url),
    volumes: new DockerVolumes(docker, endpoint.url),
  };
}
