import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { materializeAuth } from '../../src/agents/auth-materialize.js';
import { planAuth } from '../../src/agents/auth-plan.js';
import { instanceStateLayout, prepareInstanceState } from '../../src/agents/instance-state.js';
import { resolveRuntime } from '../../src/agents/registry.js';
import type { OpReader } from '../../src/agents/secret-values.js';
import { CONFIG_VERSION } from '../../src/config/config-schema.js';
import { ConfigStore } from '../../src/config/config-store.js';
import type { LayerInput } from '../../src/config/layering.js';
import { JackinError } from '../../src/kernel/errors.js';
import { runInProcess } from '../helpers/cli-in-process.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

// Two runtimes that exist only in config.toml: `tool` declares a key variable and a login file,
// `bare` declares neither. They are set, shown and planned exactly like the built-ins.
const RUNTIMES = `
[runtimes.tool]
command = ["tool"]
api_key_env = "TOOL_API_KEY"
credential_files = ["~/.tool/login.json"]
state_dirs = ["~/.tool"]

[runtimes.bare]
command = ["bare"]
`;

let t: TempHome;
let env: NodeJS.ProcessEnv;
let host: string;
let configDir: string;

async function run(...args: string[]) {
  return runInProcess(args, env, host);
}
async function ok(...args: string[]): Promise<string> {
  const r = await run(...args);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeEach(async () => {
  t = tempHome('jackin-runtime-auth-');
  host = join(t.dir, 'host');
  mkdirSync(join(host, 'src/app'), { recursive: true });
  env = { ...t.env, DOCKER_HOST: 'unix:///nonexistent/docker.sock', HOME: host };
  configDir = env.JACKIN_CONFIG_DIR!;
  await ok(
    'workspace',
    'create',
    'app',
    '--workdir',
    '/workspace/app',
    '--mount',
    `${host}/src/app:/workspace/app`,
  );
  writeFileSync(join(configDir, 'config.toml'), `version = "${CONFIG_VERSION}"\n${RUNTIMES}`);
});
afterEach(() => t.cleanup());

const configText = (): string => readFileSync(join(configDir, 'config.toml'), 'utf8');
const workspaceText = (): string => readFileSync(join(configDir, 'workspaces', 'app.toml'), 'utf8');

interface ShownRow {
  agent: string;
  mode: string;
  scope: string;
  supported: string[];
  forwards: string;
  scopes: { scope: string; mode?: string }[];
}

async function layers(): Promise<LayerInput> {
  const files = new ConfigStore(configDir);
  const config = (await files.loadConfig()).value;
  return {
    config,
    workspace: { name: 'app', value: (await files.loadWorkspace('app')).value },
    role: 'smith',
  };
}

const noOp: OpReader = () => Promise.reject(new Error('op is not installed'));

describe('a runtime defined only in config.toml: jackin config auth', () => {
  it('set accepts it at every scope and writes its own table, as for a built-in', async () => {
    expect(await ok('config', 'auth', 'set', 'sync', '--agent', 'tool')).toBe('tool auth: sync (global)\n');
    await ok('config', 'auth', 'set', 'ignore', '--agent', 'tool', '--role', 'smith');
    await ok('config', 'auth', 'set', 'sync', '--agent', 'tool', '--workspace', 'app');
    await ok('config', 'auth', 'set', 'api_key', '--agent', 'tool', '--workspace', 'app', '--role', 'smith');
    await ok('config', 'auth', 'set', 'ignore', '--agent', 'bare');
    expect(configText()).toMatch(/\[tool\]\s+auth_forward = "sync"/);
    expect(configText()).toMatch(/\[roles\.smith\.tool\]\s+auth_forward = "ignore"/);
    expect(configText()).toMatch(/\[bare\]\s+auth_forward = "ignore"/);
    expect(workspaceText()).toMatch(/\[tool\]\s+auth_forward = "sync"/);
    expect(workspaceText()).toMatch(/\[roles\.smith\.tool\]\s+auth_forward = "api_key"/);
    const history = JSON.parse(await ok('history', '--json')) as {
      events: { type: string; data: unknown }[];
    };
    expect(history.events.filter((e) => e.type === 'AuthModeChanged').map((e) => e.data)).toContainEqual({
      agent: 'tool',
      mode: 'api_key',
      previous: null,
      scope: { workspace: 'app', role: 'smith' },
    });
  });

  it('set refuses a mode its declared fields do not allow, and an undeclared runtime', async () => {
    const cases: [string[], RegExp, RegExp][] = [
      [['sync', '--agent', 'bare'], /bare does not support auth mode 'sync'/, /declare credential_files/],
      [['api_key', '--agent', 'bare'], /bare does not support auth mode 'api_key'/, /declare api_key_env/],
      [
        ['oauth_token', '--agent', 'tool'],
        /tool does not support auth mode 'oauth_token'/,
        /oauth_token_env/,
      ],
      [
        ['oauth_token', '--agent', 'codex'],
        /codex does not support auth mode/,
        /supports sync, api_key, ignore/,
      ],
      [['ignore', '--agent', 'nosuch'], /unknown runtime 'nosuch'/, /known runtimes: claude.*tool, bare/],
    ];
    for (const [args, message, hint] of cases) {
      const r = await run('config', 'auth', 'set', ...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(hint);
    }
    expect(configText()).not.toMatch(/\[bare\]|\[nosuch\]/);
  });

  it('show explains it: the effective mode, who chose it, the modes it allows, what it forwards', async () => {
    await ok('config', 'auth', 'set', 'ignore', '--agent', 'tool', '--role', 'smith');
    await ok('config', 'auth', 'set', 'api_key', '--agent', 'tool', '--workspace', 'app', '--role', 'smith');
    const shown = JSON.parse(
      await ok('config', 'auth', 'show', '--workspace', 'app', '--role', 'smith', '--json'),
    ) as { auth: ShownRow[] };
    expect(shown.auth.map((r) => r.agent)).toEqual([
      'claude',
      'codex',
      'amp',
      'kimi',
      'opencode',
      'tool',
      'bare',
      'github',
    ]);
    expect(shown.auth.find((r) => r.agent === 'tool')).toEqual({
      agent: 'tool',
      mode: 'api_key',
      scope: 'workspace:app×role:smith',
      supported: ['sync', 'api_key', 'ignore'],
      forwards: 'env TOOL_API_KEY',
      scopes: [
        { scope: 'workspace:app×role:smith', mode: 'api_key' },
        { scope: 'workspace:app' },
        { scope: 'role:smith', mode: 'ignore' },
        { scope: 'global' },
      ],
    });
    // Nothing to sync: its default is ignore, the only mode it has.
    expect(shown.auth.find((r) => r.agent === 'bare')).toMatchObject({
      mode: 'ignore',
      scope: 'default',
      supported: ['ignore'],
      forwards: 'nothing',
    });
    const table = await ok('config', 'auth', 'show', '--agent', 'tool');
    expect(table).toMatch(/tool\s+sync\s+default\s+files ~\/\.tool\/login\.json/);
  });
});

describe('a runtime defined only in config.toml: the launch auth plan', () => {
  it('applies the mode chosen for it in the files, with the values and files it declares', async () => {
    mkdirSync(join(host, '.tool'), { recursive: true });
    writeFileSync(join(host, '.tool', 'login.json'), '{"login":"host"}');
    const layout = instanceStateLayout(join(t.dir, 'data'), 'jk-rt000001-app-smith');
    const runtimes = [resolveRuntime('tool', (await layers()).config), resolveRuntime('claude', {})];
    prepareInstanceState(layout, runtimes);
    const base = { instanceId: 'rt000001', runtimes, selected: 'tool', hostHome: host, layout, readOp: noOp };

    // Nothing chosen: sync (it declares a login file), copied 0600.
    const synced = materializeAuth(await planAuth({ ...base, layers: await layers(), hostEnv: {} }), layout);
    expect(synced.events.find((e) => e.runtime === 'tool')).toMatchObject({ mode: 'sync', scope: 'default' });
    expect(statSync(join(layout.home, '.tool', 'login.json')).mode & 0o777).toBe(0o600);

    // Chosen by workspace×role through the CLI: the key from the operator env, the synced login removed.
    await ok('config', 'auth', 'set', 'api_key', '--agent', 'tool', '--workspace', 'app', '--role', 'smith');
    await ok('config', 'env', 'set', 'TOOL_API_KEY', '$HOST_TOOL_KEY');
    const keyed = materializeAuth(
      await planAuth({ ...base, layers: await layers(), hostEnv: { HOST_TOOL_KEY: 'tk-1' } }),
      layout,
    );
    expect(keyed.env).toEqual({ TOOL_API_KEY: 'tk-1' });
    expect(keyed.events.find((e) => e.runtime === 'tool')).toMatchObject({
      mode: 'api_key',
      scope: 'workspace:app×role:smith',
      source: '$HOST_TOOL_KEY',
      envNames: ['TOOL_API_KEY'],
      removed: ['.tool/login.json'],
    });

    // The key missing: the launch stops before any container, naming the scope.
    const missing = await planAuth({ ...base, layers: await layers(), hostEnv: {} }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(JackinError);
    expect((missing as JackinError).code).toBe('credential_missing');
    expect((missing as JackinError).message).toMatch(
      /tool: auth mode api_key \(chosen by workspace:app×role:smith; .*\) needs TOOL_API_KEY/,
    );
  });

  it('a runtime with no credential files gets ignore by default and launches without a login', async () => {
    const layout = instanceStateLayout(join(t.dir, 'data'), 'jk-rt000002-app-smith');
    const runtimes = [resolveRuntime('bare', (await layers()).config)];
    prepareInstanceState(layout, runtimes);
    const plan = await planAuth({
      instanceId: 'rt000002',
      layers: await layers(),
      runtimes,
      selected: 'bare',
      hostHome: host,
      hostEnv: {},
      layout,
      readOp: noOp,
    });
    expect(plan.entries).toMatchObject([{ runtime: 'bare', mode: 'ignore', scope: 'default', warnings: [] }]);
  });
});

describe('auth tables of operator-defined runtimes in the files', () => {
  async function loadError(load: (files: ConfigStore) => Promise<unknown>): Promise<string> {
    const error = await load(new ConfigStore(configDir)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JackinError);
    return (error as JackinError).message;
  }

  it('a table for a runtime config.toml does not declare is an unknown key, with file and line', async () => {
    writeFileSync(join(configDir, 'config.toml'), `${configText()}\n[toool]\nauth_forward = "sync"\n`);
    expect(await loadError((f) => f.loadConfig())).toMatch(
      /config\.toml:\d+: toool: unknown key \(no runtime 'toool' is declared under \[runtimes\]\)/,
    );
  });

  it('so is one in a workspace file, checked against config.toml when the workspace loads', async () => {
    writeFileSync(
      join(configDir, 'workspaces', 'app.toml'),
      `${workspaceText()}\n[roles.smith.toool]\nauth_forward = "sync"\n`,
    );
    expect(await loadError((f) => f.loadWorkspace('app'))).toMatch(
      /app\.toml:\d+: roles\.smith\.toool: unknown key \(no runtime 'toool' is declared/,
    );
    const r = await run('config', 'auth', 'show', '--workspace', 'app');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/roles\.smith\.toool: unknown key/);
  });

  it('checks the table itself, and keeps non-table unknown keys unknown', async () => {
    const original = configText();
    writeFileSync(join(configDir, 'config.toml'), `${original}\n[tool]\nauth_forward = "bogus"\n`);
    expect(await loadError((f) => f.loadConfig())).toMatch(/tool\.auth_forward: must be one of "sync"/);
    writeFileSync(join(configDir, 'config.toml'), `role_hots = "x"\n${original}`);
    expect(await loadError((f) => f.loadConfig())).toMatch(/config\.toml:1: role_hots: unknown key/);
  });

  it('a runtime cannot be named after a key of the files its table would live in', async () => {
    writeFileSync(join(configDir, 'config.toml'), `${configText()}\n[runtimes.env]\ncommand = ["env"]\n`);
    expect(await loadError((f) => f.loadConfig())).toMatch(
      /runtimes\.env: 'env' is a key of config\.toml or of a workspace/,
    );
  });
});
