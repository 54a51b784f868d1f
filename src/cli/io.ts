import type { Writable } from 'node:stream';

/** Where a command writes. Results go to stdout; progress and errors to stderr. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** The interactive terminal (the console renders into it); absent in tests and pipes. */
  readonly terminal?: { readonly stdin: NodeJS.ReadStream; readonly stdout: NodeJS.WriteStream };
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: Boolean(process.stdin.isTTY),
    stdoutIsTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
    terminal: { stdin: process.stdin, stdout: process.stdout },
  };
}

export function writeLine(stream: Writable, line = ''): void {
  stream.write(`${line}\n`);
}

export function writeJson(stream: Writable, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Colour is used only on a TTY and never with NO_COLOR. */
export function useColor(io: CliIo): boolean {
  return io.stdoutIsTTY && !('NO_COLOR' in io.env) && io.env.TERM !== 'dumb';
}
