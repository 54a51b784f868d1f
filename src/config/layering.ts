import type { GlobalConfig } from './config-schema.js';
import { envSource } from './env-value.js';
import type { EnvMap, EnvSource } from './env-value.js';
import { runtimeAuthFacts } from './runtimes.js';
import type { AuthMode } from './runtimes.js';
import type { Limits } from './shared-schema.js';
import type { Workspace } from './workspace-schema.js';
import { byCodeUnit } from '../kernel/order.js';

/** Which layer a resolved setting came from (named in errors and in the session contract). */
export type Scope =
  | 'default'
  | 'global'
  | `role:${string}`
  | `workspace:${string}`
  | `workspace:${string}×role:${string}`
  | 'manifest'
  | 'flag';

export interface LayerInput {
  readonly config: GlobalConfig;
  readonly workspace?: { readonly name: string; readonly value: Workspace } | undefined;
  readonly role?: string | undefined;
}

type AgentTables = Partial<Record<string, { auth_forward?: string | undefined } | undefined>>;

function authOf(tables: unknown, agent: string): AuthMode | undefined {
  const table = (tables as AgentTables | undefined)?.[agent];
  return table?.auth_forward as AuthMode | undefined;
}

/**
 * The auth mode for a runtime, most specific first: workspace×role → workspace → role → global →
 * the runtime's default (`sync`; `ignore` for an operator-defined runtime with no credential files).
 */
export function resolveAuthMode(
  input: LayerInput,
  agent: string,
): { mode: AuthMode; scope: Scope; searched: Scope[] } {
  const { config, workspace, role } = input;
  const candidates: [Scope, unknown][] = [];
  if (workspace && role)
    candidates.push([`workspace:${workspace.name}×role:${role}`, workspace.value.roles?.[role]]);
  if (workspace) candidates.push([`workspace:${workspace.name}`, workspace.value]);
  if (role) candidates.push([`role:${role}`, config.roles?.[role]]);
  candidates.push(['global', config]);
  const searched: Scope[] = [];
  for (const [scope, tables] of candidates) {
    searched.push(scope);
    const mode = authOf(tables, agent);
    if (mode) return { mode, scope, searched };
  }
  const fallback = runtimeAuthFacts(agent, config.runtimes ?? {})?.defaultMode ?? 'sync';
  return { mode: fallback, scope: 'default', searched };
}

export interface ResolvedEnvVar {
  readonly name: string;
  readonly source: EnvSource;
  readonly scope: Scope;
  /** Layers this one overrode, least specific first. */
  readonly overrides: Scope[];
}

/** Operator env, later layers win: global → role → workspace → workspace×role. */
export function resolveOperatorEnv(input: LayerInput): ResolvedEnvVar[] {
  const { config, workspace, role } = input;
  const layers: [Scope, EnvMap | undefined][] = [['global', config.env]];
  if (role) layers.push([`role:${role}`, config.roles?.[role]?.env]);
  if (workspace) {
    layers.push([`workspace:${workspace.name}`, workspace.value.env]);
    if (role) layers.push([`workspace:${workspace.name}×role:${role}`, workspace.value.roles?.[role]?.env]);
  }
  const out = new Map<string, ResolvedEnvVar>();
  for (const [scope, env] of layers) {
    for (const [name, value] of Object.entries(env ?? {})) {
      const previous = out.get(name);
      out.set(name, {
        name,
        source: envSource(value),
        scope,
        overrides: previous ? [...previous.overrides, previous.scope] : [],
      });
    }
  }
  return [...out.values()].sort((a, b) => byCodeUnit(a.name, b.name));
}

export interface ResolvedLimits {
  readonly memory: { value: string; scope: Scope } | undefined;
  readonly cpus: { value: number; scope: Scope } | undefined;
  readonly pids: { value: number; scope: Scope } | undefined;
}

/** Resource limits, later wins per field: global → role → workspace → workspace×role → manifest → flags. */
export function resolveLimits(
  input: LayerInput,
  manifest: Limits | undefined,
  flags: Limits,
): ResolvedLimits {
  const { config, workspace, role } = input;
  const layers: [Scope, Limits | undefined][] = [['global', config.limits]];
  if (role) layers.push([`role:${role}`, config.roles?.[role]?.limits]);
  if (workspace) {
    layers.push([`workspace:${workspace.name}`, workspace.value.limits]);
    if (role)
      layers.push([`workspace:${workspace.name}×role:${role}`, workspace.value.roles?.[role]?.limits]);
  }
  layers.push(['manifest', manifest], ['flag', flags]);
  let memory: ResolvedLimits['memory'];
  let cpus: ResolvedLimits['cpus'];
  let pids: ResolvedLimits['pids'];
  for (const [scope, limits] of layers) {
    if (limits?.memory !== undefined) memory = { value: limits.memory, scope };
    if (limits?.cpus !== undefined) cpus = { value: limits.cpus, scope };
    if (limits?.pids !== undefined) pids = { value: limits.pids, scope };
  }
  return { memory, cpus, pids };
}
