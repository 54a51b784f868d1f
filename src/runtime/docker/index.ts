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

class DockerEngine implements EngineClient {
  constructor(
    private readonly docker: DockerType,
    private readonly endpoint: string,
  ) {}

  async info(): Promise<EngineInfo> {
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
