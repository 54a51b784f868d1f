import { execFileSync } from 'node:child_process';
import { BIN } from '../helpers/run-cli.js';

function quote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A detached tmux session on a private server socket, running the built CLI: a real terminal. */
export class TmuxPane {
  private readonly socket = `jackin-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly name: string,
    private readonly size: { columns: number; rows: number },
  ) {}

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** Starts `jackin ARGS` (or another script) with exactly `env` set; the pane prints `EXIT=<code>` when it ends. */
  start(args: readonly string[], env: Readonly<Record<string, string | undefined>>, script = BIN): void {
    const assignments = Object.entries(env)
      .filter((entry): entry is [string, string] => entry[1] !== undefined)
      .map(([k, v]) => `${k}=${quote(v)}`)
      .join(' ');
    const command = `env -i ${assignments} ${quote(process.execPath)} ${quote(script)} ${args.map(quote).join(' ')}; echo EXIT=$?; sleep 30`;
    this.tmux(
      'new-session',
      '-d',
      '-s',
      this.name,
      '-x',
      String(this.size.columns),
      '-y',
      String(this.size.rows),
      command,
    );
  }

  /** The visible screen as text (with `escapes`, including SGR colour/attribute sequences). */
  capture(escapes = false): string {
    return this.tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', this.name);
  }

  keys(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Polls the pane until `predicate` holds; returns the screen and how long it took. */
  async waitFor(
    predicate: (screen: string) => boolean,
    timeoutMs = 10_000,
    everyMs = 20,
  ): Promise<{ screen: string; ms: number }> {
    const started = performance.now();
    for (;;) {
      const screen = this.capture();
      if (predicate(screen)) return { screen, ms: performance.now() - started };
      if (performance.now() - started > timeoutMs) throw new Error(`pane never matched:\n${screen}`);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }

  /** Ends the private tmux server (and with it the session this object started). */
  kill(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

/** The environment a console test runs with: a temp home, a UTF-8 terminal, nothing inherited. */
export function terminalEnv(
  home: { env: NodeJS.ProcessEnv },
  extra: Record<string, string> = {},
): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: home.env.JACKIN_HOME,
    JACKIN_HOME: home.env.JACKIN_HOME,
    JACKIN_CONFIG_DIR: home.env.JACKIN_CONFIG_DIR,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    ...extra,
  };
}
