import { resolveAuthMode } from '../config/layering.js';
import type { LayerInput, Scope } from '../config/layering.js';
import type { GlobalConfig } from '../config/config-schema.js';
import { AUTH_MODES, GITHUB_AUTH_MODES, describeForwarding, runtimeAuthFacts } from '../config/runtimes.js';
import type { AuthMode } from '../config/runtimes.js';
import { JackinError } from '../kernel/errors.js';
import { listRuntimeNames } from './registry.js';

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
  /** What the effective mode forwards (`env ANTHROPIC_API_KEY`, `files ~/.codex/auth.json`, `nothing`). */
  readonly forwards: string;
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

const GITHUB_FORWARDS: Readonly<Record<string, string>> = {
  sync: 'files ~/.config/gh/hosts.yml',
  token: 'env GH_TOKEN, GITHUB_TOKEN',
  ignore: 'nothing',
};

/**
 * `jackin config auth show`: every runtime (built-in and the operator's `[runtimes.<name>]`, with
 * the modes its declared fields allow) plus the GitHub CLI.
 */
export function explainAuth(input: LayerInput & { config: GlobalConfig }, only?: string): AuthExplanation[] {
  const agents = [...listRuntimeNames(input.config), 'github'].filter((name) => !only || name === only);
  return agents.flatMap((agent): AuthExplanation[] => {
    const { mode, scope } = resolveAuthMode(input, agent);
    const scopes = authScopes(input, agent);
    if (agent === 'github') {
      const forwards = GITHUB_FORWARDS[mode] ?? 'nothing';
      return [{ agent, mode, scope, supported: GITHUB_AUTH_MODES, forwards, scopes }];
    }
    const facts = runtimeAuthFacts(agent, input.config.runtimes ?? {});
    if (!facts) return [];
    return [
      { agent, mode, scope, supported: facts.modes, forwards: describeForwarding(facts, mode), scopes },
    ];
  });
}

/**
 * Checks `jackin config auth set MODE --agent NAME`: the runtime is a built-in or declared in
 * config.toml, and the mode is one its declared fields allow (an operator's runtime needs
 * `credential_files` for sync, `api_key_env` for api_key, `oauth_token_env` for oauth_token).
 */
export function checkAuthMode(mode: string, agent: string, config: GlobalConfig): AuthMode {
  const facts = runtimeAuthFacts(agent, config.runtimes ?? {});
  if (!facts) {
    throw new JackinError('invalid_input', `unknown runtime '${agent}'`, {
      hint: `known runtimes: ${listRuntimeNames(config).join(', ')}; declare another under [runtimes.${agent}] in config.toml`,
    });
  }
  if (!(AUTH_MODES as readonly string[]).includes(mode)) {
    throw new JackinError('invalid_input', `unknown auth mode '${mode}'`, {
      hint: `modes: ${AUTH_MODES.join(', ')}`,
    });
  }
  if (!facts.modes.includes(mode as AuthMode)) {
    const needs: Partial<Record<AuthMode, string>> = {
      sync: 'credential_files',
      api_key: 'api_key_env',
      oauth_token: 'oauth_token_env',
    };
    const declare =
      agent in (config.runtimes ?? {}) && needs[mode as AuthMode]
        ? `; declare ${needs[mode as AuthMode]} under [runtimes.${agent}] to allow it`
        : '';
    throw new JackinError('invalid_input', `${agent} does not support auth mode '${mode}'`, {
      hint: `${agent} supports ${facts.modes.join(', ')}${declare}`,
    });
  }
  return mode as AuthMode;
}
