import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import type { AgentOptions } from 'node:http';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** How to reach the engine, resolved like the docker CLI does. Never holds key material. */
export interface DockerEndpoint {
  /** Display form: `unix:///var/run/docker.sock`, `tcp://host:2376`. */
  readonly url: string;
  readonly socketPath?: string;
  readonly host?: string;
  readonly port?: number;
  readonly protocol?: 'http' | 'https';
  /** Directory holding ca.pem, cert.pem, key.pem when TLS is used. */
  readonly certPath?: string;
  readonly source: 'DOCKER_HOST' | 'context' | 'default';
}

const DEFAULT_SOCKET = '/var/run/docker.sock';

/**
 * Resolution order (docker CLI rules): a non-empty DOCKER_HOST wins (with DOCKER_TLS_VERIFY and
 * DOCKER_CERT_PATH), else DOCKER_CONTEXT / the active context in ~/.docker/config.json, else the
 * default socket.
 */
export function resolveDockerEndpoint(env: NodeJS.ProcessEnv): DockerEndpoint {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost) return parseHost(dockerHost, env, 'DOCKER_HOST');
  const fromContext = contextHost(env);
  if (fromContext) return parseHost(fromContext, env, 'context');
  return { url: `unix://${DEFAULT_SOCKET}`, socketPath: DEFAULT_SOCKET, source: 'default' };
}

function parseHost(value: string, env: NodeJS.ProcessEnv, source: DockerEndpoint['source']): DockerEndpoint {
  if (value.startsWith('unix://')) {
    const socketPath = value.slice('unix://'.length);
    return { url: value, socketPath, source };
  }
  const url = new URL(value.replace(/^tcp:\/\//, 'http://'));
  const tls =
    env.DOCKER_TLS_VERIFY !== undefined && env.DOCKER_TLS_VERIFY !== '' && env.DOCKER_TLS_VERIFY !== '0';
  const certPath = env.DOCKER_CERT_PATH?.trim() || join(env.HOME ?? homedir(), '.docker');
  const port = url.port ? Number(url.port) : tls ? 2376 : 2375;
  return {
    url: `tcp://${url.hostname}:${port}`,
    host: url.hostname,
    port,
    protocol: tls ? 'https' : 'http',
    ...(tls ? { certPath } : {}),
    source,
  };
}

function contextHost(env: NodeJS.ProcessEnv): string | undefined {
  const configDir = env.DOCKER_CONFIG ?? join(env.HOME ?? homedir(), '.docker');
  let name = env.DOCKER_CONTEXT?.trim();
  if (!name) {
    try {
      const config = JSON.parse(readFileSync(join(configDir, 'config.json'), 'utf8')) as {
        currentContext?: string;
      };
      name = config.currentContext;
    } catch {
      return undefined;
    }
  }
  if (!name || name === 'default') return undefined;
  try {
    const id = createHash('sha256').update(name).digest('hex');
    const meta = JSON.parse(readFileSync(join(configDir, 'contexts', 'meta', id, 'meta.json'), 'utf8')) as {
      Endpoints?: { docker?: { Host?: string } };
    };
    return meta.Endpoints?.docker?.Host;
  } catch {
    return undefined;
  }
}

let unixAgent: Agent | undefined;

/**
 * The agent for a Unix-socket engine: Node's global agent's settings, plus an empty TLS server name.
 * Without one, the agent derives a name from the host of every request, and its IP check compiles
 * Node's IPv6 regex on the first (~4 ms, on the way to a launch's intent); a socket has no TLS.
 */
function socketAgent(): Agent {
  unixAgent ??= new Agent({
    keepAlive: true,
    scheduling: 'lifo',
    timeout: 5000,
    servername: '',
  } as AgentOptions);
  return unixAgent;
}

/** Options for dockerode's constructor; TLS files are read here, at connect time. */
export function dockerodeOptions(endpoint: DockerEndpoint): Record<string, unknown> {
  if (endpoint.socketPath) return { socketPath: endpoint.socketPath, agent: socketAgent() };
  const options: Record<string, unknown> = {
    host: endpoint.host,
    port: endpoint.port,
    protocol: endpoint.protocol,
  };
  if (endpoint.certPath) {
    options.ca = readFileSync(join(endpoint.certPath, 'ca.pem'));
    options.cert = readFileSync(join(endpoint.certPath, 'cert.pem'));
    options.key = readFileSync(join(endpoint.certPath, 'key.pem'));
  }
  return options;
}
