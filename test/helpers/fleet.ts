import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import BetterSqlite3 from 'better-sqlite3';
import { BIN, runCli } from './run-cli.js';
import type { CliResult } from './run-cli.js';
import type { TempHome } from './temp-home.js';

export const SCRIPTED_AGENT = fileURLToPath(new URL('../fixtures/scripted-agent.mjs', import.meta.url));

/** A git repository with one commit, and a config defining the `scripted` runtime. */
export function fleetFixture(home: TempHome): { repo: string } {
  // The int tier runs agents as host processes; the instance runner is the Docker tier's (ADR 0017).
  home.env.JACKIN_TASK_RUNNER = 'local';
  const repo = join(home.dir, 'repo');
  mkdirSync(repo, { recursive: true });
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
  };
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), 'fixture\n');
  git('add', '.');
  git('commit', '-q', '-m', 'init');
  const configDir = home.env.JACKIN_CONFIG_DIR!;
  mkdirSync(configDir, { recursive: true });
  writeFileSync(
    join(configDir, 'config.toml'),
    [
      'version = "v1alpha10"',
      '[runtimes.scripted]',
      `command = ["${process.execPath}"]`,
      `headless = ["${process.execPath}", "${SCRIPTED_AGENT}", "{prompt}"]`,
      '',
    ].join('\n'),
  );
  return { repo };
}

/** `task import github octo/app` for the fixture's repository and role, with the scripted agent. */
export function githubImportArgs(repo: string, ...extra: string[]): string[] {
  const target = ['--workspace', repo, '--role', 'smith', '--agent', 'scripted'];
  return ['task', 'import', 'github', 'octo/app', ...target, '--json', ...extra];
}

/** Queues a scripted task; returns its id. */
export function addTask(home: TempHome, repo: string, prompt: string, extra: string[] = []): string {
  const result = runCli(
    [
      'task',
      'add',
      '--workspace',
      repo,
      '--role',
      'smith',
      '--agent',
      'scripted',
      ...extra,
      '--json',
      prompt,
    ],
    home.env,
  );
  if (result.code !== 0) throw new Error(`task add failed: ${result.stderr}`);
  return (JSON.parse(result.stdout) as { task: { id: string } }).task.id;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
  output(): string;
}

/** Starts the built CLI as a background process. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr })),
  );
  return { child, done, output: () => stdout };
}

export interface LoggedEvent {
  position: number;
  stream: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recordedAt: string;
}

/** Reads the log straight from SQLite (read-only), in global order. */
export function readLog(home: TempHome, types?: readonly string[]): LoggedEvent[] {
  const db = new BetterSqlite3(join(home.env.JACKIN_HOME!, 'jackin.db'), { readonly: true });
  try {
    const where = types ? `WHERE type IN (${types.map(() => '?').join(', ')})` : '';
    const rows = db
      .prepare(`SELECT * FROM events ${where} ORDER BY global_position`)
      .all(...(types ?? [])) as Record<string, string | number>[];
    return rows.map((r) => ({
      position: r.global_position as number,
      stream: r.stream_id as string,
      type: r.type as string,
      data: JSON.parse(r.data as string) as Record<string, unknown>,
      metadata: JSON.parse(r.metadata as string) as Record<string, unknown>,
      recordedAt: r.recorded_at as string,
    }));
  } finally {
    db.close();
  }
}

/** The most attempts that were running at once, from TaskStarted → outcome intervals in the log. */
export function maxConcurrentAttempts(events: readonly LoggedEvent[]): number {
  let running = 0;
  let max = 0;
  const open = new Set<string>();
  for (const event of events) {
    const key = `${String(event.data.taskId)}#${String(event.data.attempt)}`;
    if (event.type === 'TaskStarted') {
      open.add(key);
      running += 1;
      max = Math.max(max, running);
    } else if (['TaskSucceeded', 'TaskFailed'].includes(event.type) && open.delete(key)) running -= 1;
    else if (['TaskCancelled', 'TaskLeaseExpired'].includes(event.type)) {
      for (const k of [...open]) {
        if (k.startsWith(`${String(event.data.taskId)}#`)) {
          open.delete(k);
          running -= 1;
        }
      }
    }
  }
  return max;
}

/** Polls until `check` is true (or fails after `timeoutMs`). */
export async function waitFor(check: () => boolean, timeoutMs = 20_000, what = 'condition'): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
