import { join } from 'node:path';
import type { ConfigStore } from '../../config/config-store.js';
import { listGlobalMounts } from '../../config/config-schema.js';
import { describeSource } from '../../config/env-value.js';
import { resolveLimits, resolveOperatorEnv } from '../../config/layering.js';
import type { Limits } from '../../config/shared-schema.js';
import type { Workspace } from '../../config/workspace-schema.js';
import { JackinError } from '../../kernel/errors.js';
import { roleCacheDir } from '../../roles/role-cache.js';
import { adhocRequests, globalMountRequests, planMounts } from '../../workspaces/mount-plan.js';
import type { MountRequest } from '../../workspaces/mount-plan.js';
import { looksLikePath, parseMountSpec } from '../../workspaces/mount-spec.js';
import { planCredentials } from './credentials.js';
import { explainRole } from './explain-role.js';

/** Facts only the container runtime knows; injected so explain never needs Docker. */
export interface DockerFacts {
  /** How the DinD sidecar would get its powers on this engine. */
  sidecarMode(): Promise<'privileged' | 'equivalent' | 'unknown'>;
}

export const unknownDockerFacts: DockerFacts = { sidecarMode: () => Promise.resolve('unknown') };

export interface ExplainRequest {
  readonly role?: string | undefined;
  readonly target?: string | undefined;
  readonly workspace?: string | undefined;
  readonly mounts: readonly string[];
  readonly agent?: string | undefined;
  readonly limits: Limits;
}

export interface ExplainDeps {
  readonly files: ConfigStore;
  readonly jackinHome: string;
  readonly rolesDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly home: string;
  readonly docker: DockerFacts;
}

interface ChosenWorkspace {
  readonly name: string | null;
  readonly label: string;
  readonly value: Workspace | undefined;
  readonly workdir: string;
  readonly requests: MountRequest[];
}

async function chooseWorkspace(request: ExplainRequest, deps: ExplainDeps): Promise<ChosenWorkspace> {
  const named =
    request.workspace ?? (request.target && !looksLikePath(request.target) ? request.target : undefined);
  const ctx = { home: deps.home, cwd: deps.cwd };
  if (named) {
    const ws = (await deps.files.loadWorkspace(named)).value;
    const requests = ws.mounts.map((m) => ({
      src: m.src,
      dst: m.dst,
      readonly: m.readonly,
      isolation: m.isolation,
      origin: 'workspace' as const,
    }));
    return { name: named, label: named, value: ws, workdir: ws.workdir, requests };
  }
  if (request.target) {
    const spec = parseMountSpec(request.target, ctx);
    return {
      name: null,
      label: spec.src,
      value: undefined,
      workdir: spec.dst,
      requests: adhocRequests([spec], 'target'),
    };
  }
  for (const name of await deps.files.listWorkspaceNames()) {
    const ws = (await deps.files.loadWorkspace(name).catch(() => undefined))?.value;
    if (ws?.mounts.some((m) => deps.cwd === m.src || deps.cwd.startsWith(`${m.src}/`))) {
      const requests = ws.mounts.map((m) => ({
        src: m.src,
        dst: m.dst,
        readonly: m.readonly,
        isolation: m.isolation,
        origin: 'workspace' as const,
      }));
      return { name, label: name, value: ws, workdir: ws.workdir, requests };
    }
  }
  const spec = parseMountSpec(deps.cwd, ctx);
  return {
    name: null,
    label: deps.cwd,
    value: undefined,
    workdir: spec.dst,
    requests: adhocRequests([spec], 'target'),
  };
}

/**
 * The session contract a launch would run under, resolved the way `load` resolves it but with
 * no side effect: no clone, no fetch, no prompt, no Docker call, no write. Secrets appear only as
 * names, sources and fingerprints.
 */
export async function buildSessionContract(
  request: ExplainRequest,
  deps: ExplainDeps,
): Promise<Record<string, unknown>> {
  const config = (await deps.files.loadConfig()).value;
  const ws = await chooseWorkspace(request, deps);
  const selector = request.role ?? ws.value?.default_role ?? 'agent-smith';
  const role = await explainRole(selector, {
    config,
    rolesDir: deps.rolesDir,
    env: deps.env,
    cwd: deps.cwd,
    home: deps.home,
  });
  if (ws.value && ws.value.allowed_roles.length > 0 && !ws.value.allowed_roles.includes(role.key)) {
    throw new JackinError('invalid_input', `role '${role.key}' is not allowed in workspace '${ws.label}'`, {
      hint: `allowed: ${ws.value.allowed_roles.join(', ')}`,
    });
  }
  const agents = role.manifest?.agents ?? ['claude'];
  const agent = request.agent ?? ws.value?.default_agent ?? agents[0] ?? 'claude';
  if (role.manifest && !agents.includes(agent)) {
    throw new JackinError('invalid_input', `role '${role.key}' does not support agent '${agent}'`, {
      hint: `supported: ${agents.join(', ')}`,
    });
  }
  const layers = {
    config,
    workspace: ws.name && ws.value ? { name: ws.name, value: ws.value } : undefined,
    role: role.key,
  };
  const ctx = { home: deps.home, cwd: deps.cwd };
  const requests = [
    ...globalMountRequests(listGlobalMounts(config), role.key, ctx),
    ...ws.requests,
    ...adhocRequests(request.mounts.map((m) => parseMountSpec(m, ctx))),
  ];
  const mounts = await planMounts(requests, deps.home);
  const operatorEnv = resolveOperatorEnv(layers);
  const credentials = await planCredentials(agent, layers, operatorEnv, deps.env, deps.home);
  const limits = resolveLimits(layers, role.manifest?.limits, request.limits);
  const instanceDir = join(deps.jackinHome, 'data', '<instance>');
  const isolated = mounts.filter((m) => m.isolation !== 'shared');
  return {
    role: {
      key: role.key,
      kind: role.kind,
      source: role.source,
      commit: role.commit,
      cached: role.cached,
      trusted: role.trusted,
      trusted_commit: role.trustedCommit,
      valid: role.valid,
      problems: role.problems,
      dir: role.dir,
      dockerfile: role.manifest?.dockerfile ?? 'Dockerfile',
      agents,
      ...(role.kind === 'git' && !role.cached
        ? { note: `not cached: a launch would clone ${role.source}` }
        : {}),
    },
    workspace: { name: ws.name, label: ws.label, workdir: ws.workdir },
    agent,
    image: {
      construct: role.from,
      role_dockerfile: role.dir ? join(role.dir, role.manifest?.dockerfile ?? 'Dockerfile') : null,
      derived_adds: [
        'a user matching the host UID/GID',
        `the ${agent} runtime`,
        'the jackin entrypoint and tmux session',
      ],
      reuse: 'an unchanged recipe (labels carry its hash) is reused, not rebuilt',
    },
    mounts: mounts.map((m) => ({
      host: m.src,
      configured: m.configuredSrc,
      container: m.dst,
      access: m.readonly ? 'ro' : 'rw',
      isolation: m.isolation,
      origin: m.origin,
      sensitive: m.sensitive ?? null,
    })),
    env: [
      ...operatorEnv.map((v) => ({
        name: v.name,
        source: describeSource(v.source),
        scope: v.scope,
        overrides: v.overrides,
      })),
      ...Object.entries(role.manifest?.env ?? {})
        .filter(([name]) => !operatorEnv.some((v) => v.name === name))
        .map(([name, decl]) => ({
          name,
          source: decl.interactive ? 'prompt (role manifest)' : 'default (role manifest)',
          scope: 'manifest',
          overrides: [],
        })),
    ],
    credentials,
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
      sidecar_mode: await deps.docker.sidecarMode(),
    },
    limits: {
      memory: limits.memory ?? null,
      cpus: limits.cpus ?? null,
      pids: limits.pids ?? null,
      applies_to: ['role container', 'DinD sidecar'],
    },
    persists: [
      {
        path: instanceDir,
        what: 'instance state: agent homes, session history, credentials copied in sync mode',
      },
      ...(role.kind === 'git'
        ? [
            {
              path: roleCacheDir(deps.rolesDir, role.key),
              what: 'role repository clone (shared by instances)',
            },
          ]
        : []),
      {
        path: join(deps.jackinHome, 'jackin.db'),
        what: 'the event log (names and sources only, never secret values)',
      },
    ],
    host_effects: [
      ...(role.kind === 'git' && !role.cached
        ? [`git clone ${role.source} into ${roleCacheDir(deps.rolesDir, role.key)}`]
        : []),
      ...(role.kind === 'git' && !role.trusted
        ? [`asks to trust ${role.key} before building (refused without a terminal)`]
        : []),
      ...isolated.map((m) =>
        m.isolation === 'worktree'
          ? `git worktree add in ${m.src} on branch jackin/scratch/<instance> (mounted at ${m.dst})`
          : `git clone --local of ${m.src} into ${instanceDir}/git/clone (mounted at ${m.dst})`,
      ),
      'Docker objects labelled dev.jackin.managed=true: network, DinD sidecar, certs volume, role container, images',
    ],
    sensitive_mounts_need_confirmation: mounts.some((m) => m.sensitive !== undefined),
    launch_would_fail: [
      ...(role.valid ? [] : ['role manifest invalid']),
      ...(credentials.problem ? [credentials.problem] : []),
    ],
    recover: {
      reattach: 'jackin hardline <instance>',
      remove_containers: 'jackin eject <instance>',
      remove_state: 'jackin purge <instance>',
      audit: 'jackin history <instance>',
    },
  };
}
