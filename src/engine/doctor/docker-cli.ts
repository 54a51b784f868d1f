import { execFile } from 'node:child_process';

/**
 * The docker CLI, as doctor sees it: interactive attach (`docker exec -it`) spawns it, so its
 * presence matters even though jackin talks to the engine through the runtime port.
 */
export interface DockerCli {
  /** The CLI's own version; rejects with a reason when it is missing or broken. */
  clientVersion(): Promise<string>;
  /** The daemon's clock as the CLI reports it (`docker info`), when it can be read. */
  daemonTime(): Promise<Date | undefined>;
}

export class DockerCliMissing extends Error {
  constructor() {
    super('the docker CLI is not installed (not found on PATH)');
    this.name = 'DockerCliMissing';
  }
}

export type RunDocker = (args: readonly string[]) => Promise<string>;

function execDocker(env: NodeJS.ProcessEnv, timeoutMs: number): RunDocker {
  return (args) =>
    new Promise((resolve, reject) => {
      execFile(
        'docker',
        [...args],
        { env, timeout: timeoutMs, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new DockerCliMissing());
          const reason = stderr.trim().split('\n')[0] || error.message;
          reject(new Error(error.killed ? `docker did not answer within ${timeoutMs} ms` : reason));
        },
      );
    });
}

/** The real CLI, run with the operator's environment (DOCKER_HOST, contexts) so it sees what they see. */
export function dockerCli(
  env: NodeJS.ProcessEnv,
  timeoutMs = 15_000,
  run: RunDocker = execDocker(env, timeoutMs),
): DockerCli {
  return {
    async clientVersion() {
      // `docker --version` never contacts the daemon: "Docker version 28.2.2, build e6534b4".
      const output = await run(['--version']);
      const match = /(\d+\.\d+\.\d+[^\s,]*)/.exec(output);
      if (!match?.[1])
        throw new Error(`unexpected \`docker --version\` output: ${output.trim().slice(0, 80)}`);
      return match[1];
    },
    async daemonTime() {
      const raw = JSON.parse(await run(['info', '--format', '{{json .SystemTime}}'])) as unknown;
      const parsed = typeof raw === 'string' ? new Date(raw) : undefined;
      return parsed && !Number.isNaN(parsed.getTime()) ? parsed : undefined;
    },
  };
}
