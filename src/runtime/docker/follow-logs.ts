import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Follows a container's output (`docker logs --follow`) line by line, stdout and stderr apart,
 * until the container stops; a container that already stopped gives its whole output. Resolves
 * with the number of lines.
 */
export function followContainerLogs(
  env: NodeJS.ProcessEnv,
  container: string,
  onLine: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('docker', ['logs', '--follow', container], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lines = 0;
    const closed = (['stdout', 'stderr'] as const).map((name) => {
      const reader = createInterface({ input: child[name], crlfDelay: Infinity });
      reader.on('line', (line) => {
        lines += 1;
        onLine(line, name);
      });
      return new Promise<void>((done) => reader.once('close', done));
    });
    child.once('error', () => resolve(lines));
    void Promise.all(closed).then(() => resolve(lines));
  });
}
