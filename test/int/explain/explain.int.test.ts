import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertNoCanaries, plantCanary } from '../../helpers/canary.js';
import { runInProcess } from '../../helpers/cli-in-process.js';
import { tempHome } from '../../helpers/temp-home.js';
import type { TempHome } from '../../helpers/temp-home.js';

let t: TempHome;
let env: NodeJS.ProcessEnv;
let host: string;
const literal = plantCanary('DB_PASSWORD');
const hostSecret = plantCanary('ANTHROPIC_API_KEY', 'sk-ant-');
const opSecret = plantCanary('GH_TOKEN', 'ghp_');

async function ok(...args: string[]): Promise<string> {
  const r = await runInProcess(args, env, host);
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  t = tempHome('jackin-explain-');
  host = join(t.dir, 'host');
  for (const d of ['src/app/target', '.codex', 'caches']) mkdirSync(join(host, d), { recursive: true });
  writeFileSync(join(host, '.codex', 'auth.json'), '{}');
  // the op:// canary sits in the host env too, as `op` would return it: it must never be printed
  env = {
    ...t.env,
    DOCKER_HOST: 'unix:///nonexistent/docker.sock',
    HOME: host,
    ANTHROPIC_API_KEY: hostSecret.value,
    OP_CANARY: opSecret.value,
  };
  await ok(
    'workspace',
    'create',
    'app',
    '--workdir',
    '/workspace/app',
    '--mount',
    `${host}/src/app:/workspace/app`,
    '--mount',
    `${host}/src/app/target:/workspace/app/target`,
    '--mount-isolation',
    '/workspace/app=worktree',
    '--default-agent',
    'claude',
    '--allowed-role',
    'agent-smith',
  );
  await ok('config', 'env', 'set', 'GH_TOKEN', 'op://Work/github/token');
  await ok('config', 'env', 'set', 'ANTHROPIC_API_KEY', '$ANTHROPIC_API_KEY');
  await ok('workspace', 'env', 'set', 'app', 'DB_PASSWORD', literal.value);
  await ok('workspace', 'env', 'set', 'app', 'LOG_LEVEL', 'debug', '--role', 'agent-smith');
  await ok('config', 'auth', 'set', 'api_key', '--agent', 'claude', '--workspace', 'app');
  await ok(
    'config',
    'mount',
    'add',
    'caches',
    '--src',
    '~/caches',
    '--dst',
    '/home/agent/.cache',
    '--readonly',
  );
  writeFileSync(join(host, 'ignored'), '');
});
afterAll(() => t.cleanup());

const normalize = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value)
      .replaceAll(t.dir, '<tmp>')
      .replace(/"[^"]*\/roles\/agent-smith/g, '"<repo>/roles/agent-smith'),
  );

describe('jackin explain', () => {
  it('--json for a fixture workspace matches the contract', async () => {
    const out = await ok('explain', 'agent-smith', 'app', '--memory', '4g', '--json');
    const { contract } = JSON.parse(out) as { contract: Record<string, unknown> };
    expect(normalize(contract)).toEqual({
      role: {
        key: 'agent-smith',
        kind: 'builtin',
        source: '<repo>/roles/agent-smith',
        commit: null,
        cached: true,
        trusted: true,
        trusted_commit: null,
        valid: true,
        problems: [],
        dir: '<repo>/roles/agent-smith',
        dockerfile: 'Dockerfile',
        agents: ['claude'],
      },
      workspace: { name: 'app', label: 'app', workdir: '/workspace/app' },
      agent: 'claude',
      image: {
        construct: 'jackin/construct:0.1',
        role_dockerfile: '<repo>/roles/agent-smith/Dockerfile',
        derived_adds: [
          'a user matching the host UID/GID',
          'the claude runtime',
          'the jackin entrypoint and tmux session',
        ],
        reuse: 'an unchanged recipe (labels carry its hash) is reused, not rebuilt',
      },
      mounts: [
        {
          host: '<tmp>/host/caches',
          configured: '<tmp>/host/caches',
          container: '/home/agent/.cache',
          access: 'ro',
          isolation: 'shared',
          origin: 'global:caches',
          sensitive: null,
        },
        {
          host: '<tmp>/host/src/app',
          configured: '<tmp>/host/src/app',
          container: '/workspace/app',
          access: 'rw',
          isolation: 'worktree',
          origin: 'workspace',
          sensitive: null,
        },
        {
          host: '<tmp>/host/src/app/target',
          configured: '<tmp>/host/src/app/target',
          container: '/workspace/app/target',
          access: 'rw',
          isolation: 'shared',
          origin: 'workspace',
          sensitive: null,
        },
      ],
      env: [
        { name: 'ANTHROPIC_API_KEY', source: '$ANTHROPIC_API_KEY', scope: 'global', overrides: [] },
        {
          name: 'DB_PASSWORD',
          source: expect.stringMatching(/^literal sha256:[0-9a-f]{12}$/),
          scope: 'workspace:app',
          overrides: [],
        },
        { name: 'GH_TOKEN', source: 'op://Work/github/token', scope: 'global', overrides: [] },
        {
          name: 'LOG_LEVEL',
          source: expect.stringMatching(/^literal sha256:/),
          scope: 'workspace:app×role:agent-smith',
          overrides: [],
        },
      ],
      credentials: {
        agent: 'claude',
        mode: 'api_key',
        chosenBy: 'workspace:app',
        searched: ['workspace:app×role:agent-smith', 'workspace:app'],
        forwards: [
          { kind: 'env', name: 'ANTHROPIC_API_KEY', source: 'global env: $ANTHROPIC_API_KEY', present: true },
        ],
        problem: null,
      },
      network: {
        kind: 'per-instance bridge network',
        shared_with: ['the DinD sidecar'],
        host_network: false,
        published_ports: [],
      },
      docker: {
        private_daemon: true,
        transport: 'tcp :2376 with mutual TLS (per-instance CA, client certs mounted read-only)',
        host_socket_mounted: false,
        sidecar_mode: 'unknown',
      },
      limits: {
        memory: { value: '4g', scope: 'flag' },
        cpus: null,
        pids: null,
        applies_to: ['role container', 'DinD sidecar'],
      },
      persists: [
        {
          path: '<tmp>/home/data/<instance>',
          what: 'instance state: agent homes, session history, credentials copied in sync mode',
        },
        { path: '<tmp>/home/jackin.db', what: 'the event log (names and sources only, never secret values)' },
      ],
      host_effects: [
        'git worktree add in <tmp>/host/src/app on branch jackin/scratch/<instance> (mounted at /workspace/app)',
        'Docker objects labelled dev.jackin.managed=true: network, DinD sidecar, certs volume, role container, images',
      ],
      sensitive_mounts_need_confirmation: false,
      launch_would_fail: [],
      recover: {
        reattach: 'jackin hardline <instance>',
        remove_containers: 'jackin eject <instance>',
        remove_state: 'jackin purge <instance>',
        audit: 'jackin history <instance>',
      },
    });
  });

  it('names the scope that chose a mode whose credential is missing', async () => {
    const r = await runInProcess(
      ['explain', 'agent-smith', 'app', '--json'],
      { ...env, ANTHROPIC_API_KEY: undefined },
      host,
    );
    const { contract } = JSON.parse(r.stdout) as {
      contract: { credentials: { problem: string }; launch_would_fail: string[] };
    };
    expect(contract.credentials.problem).toMatch(
      /ANTHROPIC_API_KEY is not set \(mode api_key chosen by workspace:app/,
    );
    expect(contract.launch_would_fail).toHaveLength(1);
  });

  it('flags sensitive ad-hoc mounts, refuses the Docker socket and roles the workspace does not allow', async () => {
    mkdirSync(join(host, '.ssh'), { recursive: true });
    const flagged = JSON.parse(
      await ok('explain', 'agent-smith', 'app', '--mount', '~/.ssh:/home/agent/.ssh:ro', '--json'),
    ) as { contract: { sensitive_mounts_need_confirmation: boolean } };
    expect(flagged.contract.sensitive_mounts_need_confirmation).toBe(true);
    const dup = await runInProcess(
      ['explain', 'agent-smith', 'app', '--mount', `${host}/caches:/workspace/app`],
      env,
      host,
    );
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/duplicate container destination '\/workspace\/app' \(workspace and adhoc\)/);
    const notAllowed = await runInProcess(['explain', 'acme/backend', 'app'], env, host);
    expect(notAllowed.code).toBe(2);
    expect(notAllowed.stderr).toMatch(/not allowed in workspace 'app'/);
    const human = await ok('explain', 'agent-smith', 'app');
    expect(human).toMatch(/Docker: +private daemon .*host socket never mounted/);
  });

  it('touches nothing and never prints, records or logs a secret value', async () => {
    const count = async (): Promise<number> =>
      (JSON.parse(await ok('history', '--json')) as { events: unknown[] }).events.length;
    const files = ['config.toml', 'workspaces/app.toml'].map((f) => join(t.env.JACKIN_CONFIG_DIR ?? '', f));
    const before = { events: await count(), texts: files.map((f) => readFileSync(f, 'utf8')) };
    await ok('explain', 'agent-smith', 'app', '--json');
    expect(await count()).toBe(before.events);
    expect(files.map((f) => readFileSync(f, 'utf8'))).toEqual(before.texts);
    const outputs = [
      await ok('explain', 'agent-smith', 'app', '--json'),
      await ok('explain', 'agent-smith', 'app'),
      await ok('workspace', 'show', 'app', '--json'),
      await ok('workspace', 'env', 'list', 'app', '--json'),
      await ok('history', '--json'),
    ].join('\n');
    for (const c of [literal, hostSecret, opSecret]) expect(outputs).not.toContain(c.value);
    writeFileSync(join(t.dir, 'outputs.txt'), outputs);
    assertNoCanaries([join(t.dir, 'home'), join(t.dir, 'outputs.txt')], [literal, hostSecret, opSecret]);
  });
});
