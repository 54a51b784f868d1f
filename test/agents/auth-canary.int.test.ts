import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materializeAuth } from '../../src/agents/auth-materialize.js';
import { planAuth } from '../../src/agents/auth-plan.js';
import { planGithubAuth } from '../../src/agents/github-auth.js';
import { instanceStateLayout, prepareInstanceState } from '../../src/agents/instance-state.js';
import { resolveRuntime } from '../../src/agents/registry.js';
import type { OpReader } from '../../src/agents/secret-values.js';
import { globalConfigSchema } from '../../src/config/config-schema.js';
import { parseToml } from '../../src/config/toml.js';
import { workspaceSchema } from '../../src/config/workspace-schema.js';
import { assertNoCanaries, findCanaries, plantCanary } from '../helpers/canary.js';
import { runInProcess } from '../helpers/cli-in-process.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

// Canaries enter through every credential path: host env ($VAR), 1Password (op://), host login files.
const apiKey = plantCanary('ANTHROPIC_API_KEY', 'sk-ant-');
const opKey = plantCanary('OPENAI_API_KEY', 'sk-');
const ghToken = plantCanary('GH_TOKEN', 'ghp_');
const ampFile = plantCanary('AMP_SECRETS_FILE');
const canaries = [apiKey, opKey, ghToken, ampFile];

let t: TempHome;
let env: NodeJS.ProcessEnv;
let host: string;

async function ok(...args: string[]): Promise<string> {
  const r = await runInProcess(args, env, host);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  t = tempHome('jackin-auth-canary-');
  host = join(t.dir, 'host');
  mkdirSync(join(host, 'src/app'), { recursive: true });
  mkdirSync(join(host, '.local/share/amp'), { recursive: true });
  writeFileSync(join(host, '.local/share/amp/secrets.json'), JSON.stringify({ token: ampFile.value }));
  env = {
    ...t.env,
    DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    HOME: host,
    ANTHROPIC_API_KEY: apiKey.value,
    GH_TOKEN: ghToken.value,
    JACKIN_DEBUG: '1',
  };
  await ok(
    'workspace',
    'create',
    'app',
    '--workdir',
    '/workspace/app',
    '--mount',
    `${host}/src/app:/workspace/app`,
  );
  await ok('config', 'env', 'set', 'ANTHROPIC_API_KEY', '$ANTHROPIC_API_KEY');
  await ok('config', 'env', 'set', 'OPENAI_API_KEY', 'op://Work/openai/key');
  await ok('config', 'auth', 'set', 'api_key', '--agent', 'claude', '--workspace', 'app');
  await ok('config', 'auth', 'set', 'api_key', '--agent', 'codex', '--role', 'agent-smith');
});
afterAll(() => t.cleanup());

describe('secrets guard: auth forwarding', () => {
  it('forwards real values into the instance env, yet no canary reaches the db, logs, history, explain or auth show', async () => {
    const configDir = env.JACKIN_CONFIG_DIR!;
    const config = globalConfigSchema.parse(
      parseToml(readFileSync(join(configDir, 'config.toml'), 'utf8'), 'config.toml'),
    );
    const workspace = workspaceSchema.parse(
      parseToml(readFileSync(join(configDir, 'workspaces', 'app.toml'), 'utf8'), 'app.toml'),
    );
    const layers = {
      config: { ...config, github: { auth_forward: 'token' as const } },
      workspace: { name: 'app', value: workspace },
      role: 'agent-smith',
    };
    const app = testApp(t);
    const layout = instanceStateLayout(app.paths.data, 'jk-canary01-app-agentsmith');
    const runtimes = ['claude', 'codex', 'amp'].map((n) => resolveRuntime(n, config));
    prepareInstanceState(layout, runtimes);
    const readOp: OpReader = (ref) => Promise.resolve(ref === 'op://Work/openai/key' ? opKey.value : '');
    const common = { hostHome: host, hostEnv: env, layout, readOp };
    const plan = await planAuth({ instanceId: 'canary01', layers, runtimes, selected: 'claude', ...common });
    const github = await planGithubAuth({ layers, ...common });
    const result = materializeAuth({ instanceId: 'canary01', entries: [...plan.entries, github] }, layout);

    // The values do reach the container's env and the instance's own state, where they belong.
    expect(result.env).toMatchObject({
      ANTHROPIC_API_KEY: apiKey.value,
      OPENAI_API_KEY: opKey.value,
      GH_TOKEN: ghToken.value,
    });
    expect(findCanaries([layout.root], [ampFile]).length).toBeGreaterThan(0);

    // What jackin records and logs about them.
    const { store } = await app.eventLog();
    await store.append(
      'instance-canary01',
      result.events.map((data) => ({ type: 'AuthForwarded' as const, data })),
      { expectedVersion: 'any' },
    );
    app.logger.info({ events: result.events, warnings: result.warnings }, 'auth forwarded');
    await app.close();

    const outputs = [
      await ok('history', '--json'),
      await ok('history'),
      await ok('explain', 'agent-smith', 'app', '--json'),
      await ok('config', 'auth', 'show', '--workspace', 'app', '--role', 'agent-smith', '--json'),
    ];
    const history = JSON.parse(outputs[0]!) as { events: { type: string; data: Record<string, unknown> }[] };
    const forwarded = history.events.filter((e) => e.type === 'AuthForwarded');
    expect(forwarded.map((e) => [e.data.runtime, e.data.mode, e.data.source])).toEqual([
      ['claude', 'api_key', '$ANTHROPIC_API_KEY'],
      ['codex', 'api_key', 'op://Work/openai/key'],
      ['amp', 'sync', '~/.local/share/amp/secrets.json'],
      ['github', 'token', '$GH_TOKEN'],
    ]);
    const shown = JSON.parse(outputs[3]!) as {
      auth: { agent: string; mode: string; scope: string; scopes: { scope: string; mode?: string }[] }[];
    };
    expect(shown.auth.map((r) => r.agent)).toEqual(['claude', 'codex', 'amp', 'kimi', 'opencode', 'github']);
    expect(shown.auth[0]).toMatchObject({ agent: 'claude', mode: 'api_key', scope: 'workspace:app' });
    expect(shown.auth[1]!.scopes).toEqual([
      { scope: 'workspace:app×role:agent-smith' },
      { scope: 'workspace:app' },
      { scope: 'role:agent-smith', mode: 'api_key' },
      { scope: 'global' },
    ]);
    for (const output of outputs) for (const canary of canaries) expect(output).not.toContain(canary.value);
    // The scan is not vacuous: the log holds the forwarding record.
    const logs = readdirSync(app.paths.logs)
      .map((f) => readFileSync(join(app.paths.logs, f), 'utf8'))
      .join('');
    expect(logs).toContain('auth forwarded');
    expect(logs).toContain('op://Work/openai/key');
    const db = join(app.paths.home, 'jackin.db');
    assertNoCanaries([db, `${db}-wal`, `${db}-shm`, app.paths.logs], canaries);
  });
});
