import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BIN } from './run-cli.js';
import type { CliResult } from './run-cli.js';

/** A throwaway jackin home with a `stub` runtime and a role that uses it (no network, no vendor CLI). */
export interface InstanceFixture {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly role: string;
  readonly workspaceDir: string;
  cli(
    args: readonly string[],
    options?: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number },
  ): CliResult;
  cliAsync(args: readonly string[], options?: { env?: NodeJS.ProcessEnv }): Promise<CliResult>;
  /** Every instance id this home ever recorded (for cleanup by label). */
  instanceIds(): string[];
  /** Event types of one instance stream, in order. */
  events(instanceId: string): { type: string; data: Record<string, unknown>; actor: string }[];
  /** Removes every Docker object labelled with one of this home's instances, then the temp dir. */
  cleanup(): void;
}

/** Waits (up to 5 s) until the watchers named by `<data>/<instance>/watcher.pid` have exited. */
function awaitWatchers(dataDir: string): void {
  const pids: number[] = [];
  for (const name of existsSync(dataDir) ? readdirSync(dataDir) : []) {
    try {
      pids.push(Number(readFileSync(join(dataDir, name, 'watcher.pid'), 'utf8').trim()));
    } catch {
      // no watcher for this instance
    }
  }
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 5000;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  while (pids.some((pid) => pid > 0 && alive(pid)) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 50);
}

export function instanceFixture(prefix = 'jackin-inst-'): InstanceFixture {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const config = join(dir, 'config');
  const role = join(dir, 'stub-role');
  const workspaceDir = join(dir, 'ws');
  mkdirSync(join(config, 'workspaces'), { recursive: true });
  mkdirSync(role);
  mkdirSync(workspaceDir);
  writeFileSync(join(workspaceDir, 'hello.txt'), 'hello\n');
  writeFileSync(
    join(role, 'Dockerfile'),
    'ARG JACKIN_CONSTRUCT_IMAGE=jackin/construct:0.1\nFROM ${JACKIN_CONSTRUCT_IMAGE}\n',
  );
  writeFileSync(
    join(role, 'jackin.role.toml'),
    'version = "v1alpha6"\ndockerfile = "Dockerfile"\nagents = ["stub"]\n\n[identity]\nname = "Stub"\n',
  );
  writeFileSync(
    join(config, 'config.toml'),
    'version = "v1alpha10"\n\n[runtimes.stub]\ncommand = ["jackin-runtime-stub"]\n',
  );
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JACKIN_HOME: join(dir, 'home'),
    JACKIN_CONFIG_DIR: config,
    JACKIN_DEBUG: '',
    NO_COLOR: '1',
  };
  const dbPath = join(dir, 'home', 'jackin.db');
  const query = <T>(sql: string, ...params: unknown[]): T[] => {
    const db = new Database(dbPath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  const fixture: InstanceFixture = {
    dir,
    env,
    role,
    workspaceDir,
    cli(args, options = {}) {
      const result = spawnSync(process.execPath, [BIN, ...args], {
        env: options.env ?? env,
        cwd: options.cwd ?? workspaceDir,
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 600_000,
      });
      return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    cliAsync(args, options = {}) {
      return new Promise((resolve) => {
        const child = spawn(process.execPath, [BIN, ...args], { env: options.env ?? env, cwd: workspaceDir });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      });
    },
    instanceIds() {
      try {
        return query<{ id: string }>(
          `SELECT DISTINCT substr(stream_id, 10) AS id FROM events WHERE stream_id LIKE 'instance-%'`,
        ).map((r) => r.id);
      } catch {
        return [];
      }
    },
    events(instanceId) {
      return query<{ type: string; data: string; metadata: string }>(
        'SELECT type, data, metadata FROM events WHERE stream_id = ? ORDER BY stream_version',
        `instance-${instanceId}`,
      ).map((r) => ({
        type: r.type,
        data: JSON.parse(r.data) as Record<string, unknown>,
        actor: (JSON.parse(r.metadata) as { actor: string }).actor,
      }));
    },
    cleanup() {
      for (const id of fixture.instanceIds()) removeInstanceObjects(id);
      // A status watcher ends at its next capture once its container is gone, and writes into the
      // home as it ends (its pid file, the event log): removing the home under it fails.
      awaitWatchers(join(dir, 'home', 'data'));
      // Worktrees registered in host repos under this dir are removed with the dir itself.
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
  return fixture;
}

function lines(args: string[]): string[] {
  return execFileSync('docker', args, { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Docker objects labelled with an instance id: containers, networks, volumes. */
export function labelledObjects(instanceId: string): string[] {
  const filter = `label=dev.jackin.instance=${instanceId}`;
  return [
    ...lines(['ps', '-a', '--filter', filter, '--format', 'container {{.Names}}']),
    ...lines(['network', 'ls', '--filter', filter, '--format', 'network {{.Name}}']),
    ...lines(['volume', 'ls', '--filter', filter, '--format', 'volume {{.Name}}']),
  ];
}

export function removeInstanceObjects(instanceId: string): void {
  const filter = `label=dev.jackin.instance=${instanceId}`;
  const containers = lines(['ps', '-aq', '--filter', filter]);
  if (containers.length) spawnSync('docker', ['rm', '-f', '-v', ...containers]);
  const networks = lines(['network', 'ls', '-q', '--filter', filter]);
  if (networks.length) spawnSync('docker', ['network', 'rm', ...networks]);
  const volumes = lines(['volume', 'ls', '-q', '--filter', filter]);
  if (volumes.length) spawnSync('docker', ['volume', 'rm', '-f', ...volumes]);
}

/** `docker exec` in a container; returns code and combined output. */
export function dockerExec(container: string, script: string, user?: string): { code: number; out: string } {
  const r = spawnSync('docker', ['exec', ...(user ? ['-u', user] : []), container, 'sh', '-c', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export function inspect(container: string, format: string): string {
  return execFileSync('docker', ['inspect', container, '--format', format], { encoding: 'utf8' }).trim();
}

export interface LoadedJson {
  instance: {
    id: string;
    name: string;
    state: string;
    sidecar: string;
    network: string;
    container_id: string;
  };
}

export function parseInstance(result: CliResult): LoadedJson['instance'] {
  if (result.code !== 0) throw new Error(`load failed (${result.code}): ${result.stderr}`);
  return (JSON.parse(result.stdout) as LoadedJson).instance;
}

/**
 * Runs `jackin ARGS` in the fixture paused after `stage` (JACKIN_FAULT_PAUSE_AFTER), waits for that
 * stage's progress line on stderr, then SIGKILLs it: a crash between an intent and its outcome.
 */
export function killAfterStage(fx: InstanceFixture, args: readonly string[], stage: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...fx.env, JACKIN_FAULT_PAUSE_AFTER: `${stage}:120000` },
      cwd: fx.workspaceDir,
    });
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`stage ${stage} never reported:\n${stderr}`));
    }, 120_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (new RegExp(`^${stage}\\s`, 'm').test(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`jackin ${args[0] ?? ''} ended by itself:\n${stderr}`));
    });
  });
}

/** `git ARGS` in `repo` as a fixed test identity; trimmed stdout. */
export function gitIn(repo: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd: repo,
    encoding: 'utf8',
  }).trim();
}

/**
 * For task tests: a git repository with one commit on `main` inside the fixture, and config.toml
 * declaring a `stub` runtime whose headless command runs `script` under sh (`{prompt}` is $1).
 * Returns the repository's path.
 */
export function scriptedTaskRepo(fx: InstanceFixture, script: string): string {
  const repo = join(fx.dir, 'repo');
  mkdirSync(repo);
  gitIn(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'README.md'), 'fixture\n');
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '-q', '-m', 'init');
  writeFileSync(
    join(fx.env.JACKIN_CONFIG_DIR!, 'config.toml'),
    [
      'version = "v1alpha10"',
      '',
      '[runtimes.stub]',
      'command = ["jackin-runtime-stub"]',
      `headless = ["sh", "-c", ${JSON.stringify(script)}, "stub", "{prompt}"]`,
      '',
    ].join('\n'),
  );
  return repo;
}
