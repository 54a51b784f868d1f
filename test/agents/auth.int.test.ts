import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { materializeAuth, writePrivateEnvFile } from '../../src/agents/auth-materialize.js';
import { planAuth } from '../../src/agents/auth-plan.js';
import type { AuthRequest } from '../../src/agents/auth-plan.js';
import { planGithubAuth } from '../../src/agents/github-auth.js';
import {
  instanceStateLayout,
  prepareInstanceState,
  purgeInstanceState,
} from '../../src/agents/instance-state.js';
import type { InstanceStateLayout } from '../../src/agents/instance-state.js';
import { listRuntimeNames, resolveRuntime } from '../../src/agents/registry.js';
import type { OpReader } from '../../src/agents/secret-values.js';
import { globalConfigSchema } from '../../src/config/config-schema.js';
import type { GlobalConfig } from '../../src/config/config-schema.js';
import type { LayerInput } from '../../src/config/layering.js';
import { parseToml } from '../../src/config/toml.js';
import { workspaceSchema } from '../../src/config/workspace-schema.js';
import { JackinError } from '../../src/kernel/errors.js';

let dir: string;
let hostHome: string;
let layout: InstanceStateLayout;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jackin-auth-'));
  hostHome = join(dir, 'host-home');
  mkdirSync(hostHome);
  layout = instanceStateLayout(join(dir, 'data'), 'jk-a1b2c3d4-acme-smith');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function hostFile(path: string, content: string): void {
  const full = join(hostHome, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

function config(toml = ''): GlobalConfig {
  return globalConfigSchema.parse(parseToml(`version = "v1alpha10"\n${toml}`, 'config.toml'));
}

function layers(global: string, workspace?: string, role = 'smith'): LayerInput {
  const ws =
    workspace === undefined
      ? undefined
      : {
          name: 'acme',
          value: workspaceSchema.parse(
            parseToml(`version = "v1alpha9"\nworkdir = "/w"\n${workspace}`, 'acme.toml'),
          ),
        };
  return { config: config(global), workspace: ws, role };
}

const noOp: OpReader = () => Promise.reject(new Error('op is not installed'));

function request(input: LayerInput, overrides: Partial<AuthRequest> = {}): AuthRequest {
  const runtimes =
    overrides.runtimes ??
    ['claude', 'codex', 'amp', 'kimi', 'opencode'].map((n) => resolveRuntime(n, input.config));
  return {
    instanceId: 'a1b2c3d4',
    layers: input,
    runtimes,
    selected: 'claude',
    hostHome,
    hostEnv: {},
    layout,
    readOp: noOp,
    ...overrides,
  };
}

async function launch(input: LayerInput, overrides: Partial<AuthRequest> = {}) {
  const req = request(input, overrides);
  prepareInstanceState(layout, req.runtimes);
  const plan = await planAuth(req);
  return { plan, result: materializeAuth(plan, layout) };
}

const inInstance = (path: string): string => join(layout.home, path);

describe('auth mode precedence across the four scopes', () => {
  const global = '[claude]\nauth_forward = "ignore"\n[roles.smith.claude]\nauth_forward = "api_key"\n';
  const cases: [string, LayerInput, string, string][] = [
    ['global', layers('[claude]\nauth_forward = "ignore"\n'), 'ignore', 'global'],
    ['role beats global', layers(global), 'api_key', 'role:smith'],
    [
      'workspace beats role',
      layers(global, '[claude]\nauth_forward = "oauth_token"\n'),
      'oauth_token',
      'workspace:acme',
    ],
    [
      'workspace×role beats workspace',
      layers(global, '[claude]\nauth_forward = "oauth_token"\n[roles.smith.claude]\nauth_forward = "sync"\n'),
      'sync',
      'workspace:acme×role:smith',
    ],
    ['nothing set: sync by default', layers(''), 'sync', 'default'],
  ];
  for (const [name, input, mode, scope] of cases) {
    it(`${name} → ${mode} (${scope})`, async () => {
      hostFile('.claude/.credentials.json', '{"token":"x"}');
      const { plan, result } = await launch(input, {
        hostEnv: { ANTHROPIC_API_KEY: 'k', CLAUDE_CODE_OAUTH_TOKEN: 't' },
      });
      const claude = plan.entries.find((e) => e.runtime === 'claude')!;
      expect({ mode: claude.mode, scope: claude.scope }).toEqual({ mode, scope });
      expect(result.events.find((e) => e.runtime === 'claude')).toMatchObject({ mode, scope });
    });
  }
});

describe('what each mode leaves in the instance', () => {
  it('sync copies the host login 0600 at each launch, and the seed only when the instance has none', async () => {
    hostFile('.claude/.credentials.json', '{"claudeAiOauth":"v1"}');
    hostFile('.claude.json', '{"hasCompletedOnboarding":true,"from":"host"}');
    hostFile('.codex/auth.json', '{"codex":"v1"}');
    hostFile('.kimi-code/credentials/a/token', 'k1');
    hostFile('.kimi-code/device_id', 'dev');
    const first = await launch(layers(''));
    expect(readFileSync(inInstance('.claude/.credentials.json'), 'utf8')).toBe('{"claudeAiOauth":"v1"}');
    expect(statSync(inInstance('.claude/.credentials.json')).mode & 0o777).toBe(0o600);
    expect(statSync(inInstance('.kimi-code/credentials')).mode & 0o777).toBe(0o700);
    expect(statSync(inInstance('.kimi-code/credentials/a/token')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(inInstance('.claude.json'), 'utf8'))).toMatchObject({ from: 'host' });
    expect(first.result.env).toEqual({});
    expect(first.result.events.find((e) => e.runtime === 'codex')).toMatchObject({
      mode: 'sync',
      files: ['.codex/auth.json'],
      fingerprint: expect.stringMatching(/^sha256:[0-9a-f]{12}$/),
    });

    // The agent changes its account state; a new host login is copied again, the seed is not.
    writeFileSync(inInstance('.claude.json'), '{"from":"instance"}');
    hostFile('.claude/.credentials.json', '{"claudeAiOauth":"v2"}');
    const second = await launch(layers(''));
    expect(readFileSync(inInstance('.claude/.credentials.json'), 'utf8')).toBe('{"claudeAiOauth":"v2"}');
    expect(JSON.parse(readFileSync(inInstance('.claude.json'), 'utf8'))).toEqual({ from: 'instance' });
    const fingerprints = [first, second].map(
      (l) => l.result.events.find((e) => e.runtime === 'claude')!.fingerprint,
    );
    expect(fingerprints[0]).not.toBe(fingerprints[1]);
  });

  it('sync keeps the instance copy when the host has none', async () => {
    hostFile('.codex/auth.json', '{"codex":"kept"}');
    await launch(layers(''));
    rmSync(join(hostHome, '.codex'), { recursive: true });
    const { result } = await launch(layers(''));
    expect(readFileSync(inInstance('.codex/auth.json'), 'utf8')).toBe('{"codex":"kept"}');
    expect(result.events.find((e) => e.runtime === 'codex')).toMatchObject({ source: 'instance', files: [] });
  });

  it('api_key injects the variable, writes no credential file and removes a stale synced one', async () => {
    hostFile('.claude/.credentials.json', '{"stale":true}');
    await launch(layers(''));
    expect(existsSync(inInstance('.claude/.credentials.json'))).toBe(true);
    const { result } = await launch(layers('[claude]\nauth_forward = "api_key"\n'), {
      hostEnv: { ANTHROPIC_API_KEY: 'sk-ant-test' },
    });
    expect(result.env).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-test' });
    expect(existsSync(inInstance('.claude/.credentials.json'))).toBe(false);
    expect(result.events.find((e) => e.runtime === 'claude')).toMatchObject({
      mode: 'api_key',
      source: '$ANTHROPIC_API_KEY',
      envNames: ['ANTHROPIC_API_KEY'],
      removed: ['.claude/.credentials.json'],
    });
  });

  it('api_key takes the value from the operator env layers ($VAR and op://) before the host variable', async () => {
    const input = layers(
      '[claude]\nauth_forward = "api_key"\n[env]\nANTHROPIC_API_KEY = "op://vault/anthropic/key"\n',
    );
    const readOp: OpReader = (ref) =>
      Promise.resolve(ref === 'op://vault/anthropic/key' ? 'from-1password' : '');
    const { result } = await launch(input, { readOp, hostEnv: { ANTHROPIC_API_KEY: 'host-value' } });
    expect(result.env.ANTHROPIC_API_KEY).toBe('from-1password');
    expect(result.events.find((e) => e.runtime === 'claude')!.source).toBe('op://vault/anthropic/key');
  });

  it('oauth_token (claude) injects CLAUDE_CODE_OAUTH_TOKEN and marks onboarding done, keeping account state', async () => {
    hostFile('.claude/.credentials.json', '{"stale":true}');
    await launch(layers(''));
    writeFileSync(inInstance('.claude.json'), '{"projects":{"/w":{}}}');
    const { result } = await launch(layers('[claude]\nauth_forward = "oauth_token"\n'), {
      hostEnv: { CLAUDE_CODE_OAUTH_TOKEN: 'oat-test' },
    });
    expect(result.env).toEqual({ CLAUDE_CODE_OAUTH_TOKEN: 'oat-test' });
    expect(existsSync(inInstance('.claude/.credentials.json'))).toBe(false);
    expect(JSON.parse(readFileSync(inInstance('.claude.json'), 'utf8'))).toEqual({
      projects: { '/w': {} },
      hasCompletedOnboarding: true,
    });
  });

  it('ignore forwards nothing and removes a previously synced login', async () => {
    hostFile('.local/share/amp/secrets.json', '{"amp":1}');
    await launch(layers(''));
    expect(existsSync(inInstance('.local/share/amp/secrets.json'))).toBe(true);
    const { result } = await launch(layers('[amp]\nauth_forward = "ignore"\n'));
    expect(existsSync(inInstance('.local/share/amp/secrets.json'))).toBe(false);
    expect(result.events.find((e) => e.runtime === 'amp')).toMatchObject({
      mode: 'ignore',
      envNames: [],
      files: [],
    });
    expect(result.env).toEqual({});
  });

  it('refuses to write a login through a symlink planted in the instance state', async () => {
    hostFile('.codex/auth.json', '{}');
    prepareInstanceState(layout, [resolveRuntime('codex', {})]);
    const outside = join(dir, 'outside.json');
    writeFileSync(outside, 'untouched');
    symlinkSync(outside, inInstance('.codex/auth.json'));
    await expect(
      launch(layers(''), { runtimes: [resolveRuntime('codex', {})], selected: 'codex' }),
    ).rejects.toThrow(/symlink/);
    expect(readFileSync(outside, 'utf8')).toBe('untouched');
  });
});

describe('a missing credential fails before any container starts, naming the scope', () => {
  it('api_key chosen by workspace×role with no value', async () => {
    const input = layers('', '[roles.smith.claude]\nauth_forward = "api_key"\n');
    const error = await planAuth(request(input)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JackinError);
    expect((error as JackinError).code).toBe('credential_missing');
    expect((error as JackinError).message).toContain(
      'claude: auth mode api_key (chosen by workspace:acme×role:smith',
    );
    expect((error as JackinError).message).toContain('ANTHROPIC_API_KEY');
    expect(existsSync(layout.root)).toBe(false); // planning wrote nothing
  });

  it('reports every failing op:// value at once', async () => {
    const input = layers('[claude]\nauth_forward = "api_key"\n[env]\nANTHROPIC_API_KEY = "op://v/a/k"\n');
    const error = (await planAuth(request(input)).catch((e: unknown) => e)) as JackinError;
    expect(error.message).toContain('op://v/a/k');
    expect(error.message).toContain('op is not installed');
    expect(error.message).toContain('chosen by global');
  });

  it('an explicit sync with no login anywhere fails; the default sync only warns', async () => {
    const explicit = (await planAuth(
      request(layers('[roles.smith.codex]\nauth_forward = "sync"\n'), { selected: 'codex' }),
    ).catch((e: unknown) => e)) as JackinError;
    expect(explicit.message).toContain('codex: auth mode sync (chosen by role:smith');
    const plan = await planAuth(request(layers(''), { selected: 'codex' }));
    expect(plan.entries.find((e) => e.runtime === 'codex')!.warnings.join()).toContain(
      'log in inside the instance',
    );
  });

  it('another supported runtime missing its key is skipped with a warning, not a failure', async () => {
    const plan = await planAuth(
      request(layers('[codex]\nauth_forward = "api_key"\n'), { selected: 'claude' }),
    );
    const codex = plan.entries.find((e) => e.runtime === 'codex')!;
    expect(codex.env).toEqual([]);
    expect(codex.warnings.join()).toContain('skipped: not the selected runtime');
  });
});

describe('GitHub CLI auth', () => {
  it('sync copies hosts.yml 0600; token injects GH_TOKEN and GITHUB_TOKEN and removes it; ignore removes it', async () => {
    hostFile('.config/gh/hosts.yml', 'github.com:\n  oauth_token: gho_x\n');
    prepareInstanceState(layout, []);
    const base = { hostHome, hostEnv: { GH_TOKEN: 'ghp_test' }, layout, readOp: noOp };
    const sync = await planGithubAuth({ ...base, layers: layers('') });
    const synced = materializeAuth({ instanceId: 'a1', entries: [sync] }, layout);
    expect(synced.files).toEqual(['.config/gh/hosts.yml']);
    expect(statSync(join(layout.ghConfig, 'hosts.yml')).mode & 0o777).toBe(0o600);

    const token = await planGithubAuth({ ...base, layers: layers('[github]\nauth_forward = "token"\n') });
    const tokened = materializeAuth({ instanceId: 'a1', entries: [token] }, layout);
    expect(tokened.env).toEqual({ GH_TOKEN: 'ghp_test', GITHUB_TOKEN: 'ghp_test' });
    expect(existsSync(join(layout.ghConfig, 'hosts.yml'))).toBe(false);

    const missing = (await planGithubAuth({
      ...base,
      hostEnv: {},
      layers: layers('', '[github]\nauth_forward = "token"\n'),
    }).catch((e: unknown) => e)) as JackinError;
    expect(missing.message).toContain('github: auth mode token (chosen by workspace:acme');
  });
});

describe('per-instance state', () => {
  it('maps every runtime home into /home/agent, keeps content across launches, and purge removes it', () => {
    const runtimes = listRuntimeNames({}).map((n) => resolveRuntime(n, {}));
    const mounts = prepareInstanceState(layout, runtimes);
    const targets = mounts.map((m) => m.target);
    for (const target of [
      '/home/agent/.claude',
      '/home/agent/.claude.json',
      '/home/agent/.codex',
      '/home/agent/.local/share/amp',
      '/home/agent/.config/amp',
      '/home/agent/.kimi-code',
      '/home/agent/.local/share/opencode',
      '/home/agent/.config/opencode',
      '/home/agent/.config/gh',
      '/jackin/state',
    ])
      expect(targets).toContain(target);
    for (const mount of mounts) expect(mount.source.startsWith(layout.root)).toBe(true);
    expect(lstatSync(inInstance('.claude.json')).isFile()).toBe(true);
    writeFileSync(inInstance('.codex/history.jsonl'), 'turn 1\n');
    prepareInstanceState(layout, runtimes);
    expect(readFileSync(inInstance('.codex/history.jsonl'), 'utf8')).toBe('turn 1\n');
    expect(purgeInstanceState(layout)).toBe(true);
    expect(existsSync(layout.root)).toBe(false);
    expect(purgeInstanceState(layout)).toBe(false);
  });

  it('rejects instance names that would escape the data directory', () => {
    expect(() => instanceStateLayout(dir, '../etc')).toThrow(JackinError);
    expect(() => instanceStateLayout(dir, 'a/b')).toThrow(JackinError);
  });

  it('writes secret env to a private file, never argv, and disposes of it', () => {
    const file = writePrivateEnvFile({ ANTHROPIC_API_KEY: 'sk-ant-x' }, dir);
    expect(statSync(file.path).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file.path)).mode & 0o777).toBe(0o700);
    expect(readFileSync(file.path, 'utf8')).toBe('ANTHROPIC_API_KEY=sk-ant-x\n');
    file.dispose();
    expect(existsSync(file.path)).toBe(false);
    expect(() => writePrivateEnvFile({ A: 'two\nlines' }, dir)).toThrow(/several lines/);
  });
});
