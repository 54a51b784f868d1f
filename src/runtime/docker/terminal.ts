import { spawn } from 'node:child_process';
import { DockerUnavailableError } from '../../kernel/errors.js';

/**
 * Interactive exec through the docker CLI with the operator's terminal inherited: its terminal
 * handling (raw mode, resize, detach keys) is the compatibility contract (DESIGN.md).
 */
export function dockerExecInteractive(
  env: NodeJS.ProcessEnv,
  container: string,
  argv: readonly string[],
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('docker', ['exec', '-it', container, ...argv], { stdio: 'inherit', env });
    child.on('error', (error) =>
      reject(new DockerUnavailableError(`cannot run the docker CLI: ${error.message}`, { cause: error })),
    );
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
