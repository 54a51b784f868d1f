import { ConfigStore } from '../../config/config-store.js';
import { BUILTIN_RUNTIMES } from '../../config/runtimes.js';
import type { LaunchChoices, LaunchRequest, WorkspaceChoice } from '../../console/ports.js';
import { BUILTIN_ROLES } from '../../roles/builtin.js';

/** Workspaces (from their files), their roles, and every runtime: what the launch pickers offer. */
export async function configLaunchChoices(configDir: string): Promise<LaunchChoices> {
  const files = new ConfigStore(configDir);
  const config = await files.loadConfig();
  const runtimes = [...new Set([...BUILTIN_RUNTIMES, ...Object.keys(config.value.runtimes ?? {})])];
  const workspaces: WorkspaceChoice[] = [];
  for (const name of await files.listWorkspaceNames()) {
    const { value } = await files.loadWorkspace(name);
    const roles =
      value.allowed_roles.length > 0 ? value.allowed_roles : [value.default_role ?? BUILTIN_ROLES[0]];
    workspaces.push({
      name,
      roles: [...new Set(roles)],
      defaultRole: value.default_role ?? null,
      defaultRuntime: value.default_agent ?? null,
    });
  }
  return { workspaces, runtimes };
}

/**
 * The session contract from the workspace file: mounts, workdir, Docker access and limits.
 * The launch engine (issue 5) will own the full `explain`; this is its workspace half.
 */
export async function configExplain(configDir: string, request: LaunchRequest): Promise<readonly string[]> {
  const { value: workspace } = await new ConfigStore(configDir).loadWorkspace(request.workspace);
  const lines = [
    `role ${request.role} · runtime ${request.runtime} · workdir ${workspace.workdir}`,
    'mounts:',
    ...(workspace.mounts.length === 0
      ? ['  (none)']
      : workspace.mounts.map((m) => `  ${m.src} -> ${m.dst} (${m.readonly ? 'ro' : 'rw'}, ${m.isolation})`)),
    `env names: ${Object.keys(workspace.env ?? {}).join(', ') || '(none)'}`,
    'docker: a private DinD sidecar over mutual TLS; the host Docker socket is never mounted',
  ];
  const limits = workspace.limits;
  if (limits) {
    const parts = [
      limits.memory === undefined ? undefined : `memory ${String(limits.memory)}`,
      limits.cpus === undefined ? undefined : `cpus ${limits.cpus}`,
      limits.pids === undefined ? undefined : `pids ${limits.pids}`,
    ].filter((p) => p !== undefined);
    if (parts.length > 0) lines.push(`limits: ${parts.join(', ')}`);
  }
  return lines;
}
