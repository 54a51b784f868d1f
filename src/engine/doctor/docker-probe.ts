import { execFile } from 'node:child_process';

/** What the Docker engine says about itself (only what doctor needs). */
export interface DockerDescription {
  readonly clientVersion: string;
  readonly serverVersion: string;
  readonly apiVersion: string;
  readonly os: string;
  readonly arch: string;
  /** The daemon's clock, when it reported one. */
  readonly systemTime: Date | undefined;
}

/** The port doctor uses to ask the engine who it is; rejects with the reason when nobody answers. */
export interface DockerProbe {
  describe(): Promise<DockerDescription>;
}

export class DockerUnreachable extends Error {
  constructor(
    message: string,
    /** true when the docker CLI itself is missing (not just the daemon). */
    readonly cliMissing: boolean,
  ) {
    super(message);
    this.name = 'DockerUnreachable';
  }
}

type Run = (args: readonly string[]) => Promise<string>;

function runDocker(env: NodeJS.ProcessEnv, timeoutMs: number): Run {
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'docker',
        [...args],
        { env, timeout: timeoutMs, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return reject(new DockerUnreachable('the docker CLI is not installed (not found on PATH)', true));
          }
          const reason = stderr.trim().split('\n')[0] || error.message;
          reject(
            new DockerUnreachable(
              error.killed ? `docker did not answer within ${timeoutMs} ms` : reason,
              false,
            ),
          );
        },
      );
    });
}

interface VersionJson {
  Client?: { Version?: string } | null;
  Server?: { Version?: string; ApiVersion?: string; Os?: string; Arch?: string } | null;
}

/**
 * Asks through the docker CLI, which applies the operator's own resolution (DOCKER_HOST, the active
 * context, the default socket): doctor reports what `docker` on this shell would reach.
 */
export function dockerCliProbe(
  env: NodeJS.ProcessEnv,
  timeoutMs = 15_000,
  run: Run = runDocker(env, timeoutMs),
): DockerProbe {
  return {
    async describe() {
      const version = JSON.parse(await run(['version', '--format', '{{json .}}'])) as VersionJson;
      const server = version.Server;
      if (!server?.Version)
        throw new DockerUnreachable('the Docker engine did not report a server version', false);
      let systemTime: Date | undefined;
      try {
        const raw = JSON.parse(await run(['info', '--format', '{{json .SystemTime}}'])) as unknown;
        const parsed = typeof raw === 'string' ? new Date(raw) : undefined;
        if (parsed && !Number.isNaN(parsed.getTime())) systemTime = parsed;
      } catch {
        // Version answered, so the engine is reachable; the clock check just has less to compare.
      }
      return {
        clientVersion: version.Client?.Version ?? 'unknown',
        serverVersion: server.Version,
        apiVersion: server.ApiVersion ?? 'unknown',
        os: server.Os ?? 'unknown',
        arch: server.Arch ?? 'unknown',
        systemTime,
      };
    },
  };
}
