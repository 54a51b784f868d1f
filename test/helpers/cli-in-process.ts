import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import type { CliIo } from '../../src/cli/io.js';

export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI's `main` in this process with captured output (no TTY), for fast command tests. */
export async function runInProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd = process.cwd(),
): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const io: CliIo = { stdout, stderr, stdinIsTTY: false, stdoutIsTTY: false, env, cwd };
  const code = await main(['node', 'jackin', ...args], io);
  return { code, stdout: out, stderr: err };
}
