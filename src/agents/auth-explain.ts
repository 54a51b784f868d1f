import { resolveAuthMode } from '../config/layering.js';
import type { LayerInput, Scope } from '../config/layering.js';
import type { GlobalConfig } from '../config/config-schema.js';
import { listRuntimeNames, resolveRuntime } from './registry.js';

/** One scope's own setting for a runtime (undefined = not set there). */
export interface ScopeSetting {
  readonly scope: Scope;
  readonly mode: string | undefined;
}

/** The effective mode of one runtime, the scope that chose it, and what every scope says. */
export interface AuthExplanation {
  readonly agent: string;
  readonly mode: string;
  readonly scope: Scope;
  readonly supported: readonly string[];
  readonly scopes: readonly ScopeSetting[];
}

type Tables = Partial<Record<string, { auth_forward?: string | undefined } | undefined>>;

/** Each scope's own `auth_forward` for an agent, most specific first (the order they are searched). */
export function authScopes(input: LayerInput, agent: string): ScopeSetting[] {
  const { config, workspace, role } = input;
  const layers: [Scope, unknown][] = [];
  if (workspace && role)
    layers.push([`workspace:${workspace.name}×role:${role}`, workspace.value.roles?.[role]]);
  if (workspace) layers.push([`workspace:${workspace.name}`, workspace.value]);
  if (role) layers.push([`role:${role}`, config.roles?.[role]]);
  layers.push(['global', config]);
  return layers.map(([scope, tables]) => ({
    scope,
    mode: (tables as Tables | undefined)?.[agent]?.auth_forward,
  }));
}

/** `jackin config auth show`: every runtime (built-in and configured) plus the GitHub CLI. */
export function explainAuth(input: LayerInput & { config: GlobalConfig }, only?: string): AuthExplanation[] {
  const agents = [...listRuntimeNames(input.config), 'github'].filter((name) => !only || name === only);
  return agents.map((agent) => {
    const { mode, scope } = resolveAuthMode(input, agent);
    const supported =
      agent === 'github' ? ['sync', 'token', 'ignore'] : resolveRuntime(agent, input.config).auth.modes;
    return { agent, mode, scope, supported, scopes: authScopes(input, agent) };
  });
}
