import { z } from 'zod';

/** How a runtime's credentials reach an instance (SPEC "Agents and auth"). */
export const AUTH_MODES = ['sync', 'api_key', 'oauth_token', 'ignore'] as const;
export const authModeSchema = z.enum(AUTH_MODES);
export type AuthMode = z.infer<typeof authModeSchema>;

export const GITHUB_AUTH_MODES = ['sync', 'token', 'ignore'] as const;

/** What jackin needs to know about a runtime's credentials to plan forwarding (never the values). */
export interface RuntimeAuthFacts {
  readonly name: string;
  readonly modes: readonly AuthMode[];
  readonly apiKeyEnv: string | undefined;
  readonly oauthTokenEnv: string | undefined;
  /** Host files copied in `sync` mode, `~`-relative. */
  readonly syncFiles: readonly string[];
  /** The mode when no scope chooses one: `sync` when there is something to sync, else `ignore`. */
  readonly defaultMode: AuthMode;
}

const common: readonly AuthMode[] = ['sync', 'api_key', 'ignore'];

/** The built-in runtimes' auth facts (jackin-facts §5.1). grok is kept for configs written by jackin'. */
export const BUILTIN_RUNTIME_AUTH: Readonly<Record<string, RuntimeAuthFacts>> = {
  claude: {
    name: 'claude',
    modes: ['sync', 'api_key', 'oauth_token', 'ignore'],
    apiKeyEnv: 'ANTHROPIC_API_KEY',
    oauthTokenEnv: 'CLAUDE_CODE_OAUTH_TOKEN',
    syncFiles: ['~/.claude/.credentials.json', '~/.claude.json'],
    defaultMode: 'sync',
  },
  codex: {
    name: 'codex',
    modes: common,
    apiKeyEnv: 'OPENAI_API_KEY',
    oauthTokenEnv: undefined,
    syncFiles: ['~/.codex/auth.json'],
    defaultMode: 'sync',
  },
  amp: {
    name: 'amp',
    modes: common,
    apiKeyEnv: 'AMP_API_KEY',
    oauthTokenEnv: undefined,
    syncFiles: ['~/.local/share/amp/secrets.json'],
    defaultMode: 'sync',
  },
  kimi: {
    name: 'kimi',
    modes: common,
    apiKeyEnv: 'KIMI_API_KEY',
    oauthTokenEnv: undefined,
    syncFiles: ['~/.kimi-code/config.toml', '~/.kimi-code/credentials', '~/.kimi-code/device_id'],
    defaultMode: 'sync',
  },
  opencode: {
    name: 'opencode',
    modes: common,
    apiKeyEnv: 'OPENCODE_API_KEY',
    oauthTokenEnv: undefined,
    syncFiles: ['~/.local/share/opencode/auth.json'],
    defaultMode: 'sync',
  },
  grok: {
    name: 'grok',
    modes: common,
    apiKeyEnv: 'XAI_API_KEY',
    oauthTokenEnv: undefined,
    syncFiles: ['~/.grok/auth.json'],
    defaultMode: 'sync',
  },
};

export const BUILTIN_RUNTIMES = Object.keys(BUILTIN_RUNTIME_AUTH);

export const runtimeNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'runtime names are lowercase letters, digits and dashes');

/** An operator-defined runtime in config.toml `[runtimes.<name>]`, with the built-ins' fields. */
export const runtimeDefinitionSchema = z.strictObject({
  install: z.string().min(1).optional(),
  npm_package: z.string().min(1).optional(),
  command: z.array(z.string().min(1)).min(1),
  headless: z.array(z.string().min(1)).min(1).optional(),
  api_key_env: z.string().optional(),
  oauth_token_env: z.string().optional(),
  credential_files: z.array(z.string()).default([]),
  state_dirs: z.array(z.string()).default([]),
  /** Flag that selects a model (`--model`); without it a role's model setting is not passed. */
  model_flag: z.string().min(1).optional(),
  /** Non-secret env set for every session of the runtime. */
  launch_env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
});
export type RuntimeDefinition = z.infer<typeof runtimeDefinitionSchema>;

/**
 * Auth facts for a built-in or an operator-defined runtime. An operator's runtime supports the
 * modes its declared fields make meaningful: `sync` with `credential_files`, `api_key` with
 * `api_key_env`, `oauth_token` with `oauth_token_env`, and always `ignore`.
 */
export function runtimeAuthFacts(
  name: string,
  defined: Readonly<Record<string, RuntimeDefinition>> = {},
): RuntimeAuthFacts | undefined {
  const builtin = BUILTIN_RUNTIME_AUTH[name];
  if (builtin) return builtin;
  const custom = defined[name];
  if (!custom) return undefined;
  const canSync = custom.credential_files.length > 0;
  const modes: AuthMode[] = [
    ...(canSync ? (['sync'] as const) : []),
    ...(custom.api_key_env ? (['api_key'] as const) : []),
    ...(custom.oauth_token_env ? (['oauth_token'] as const) : []),
    'ignore',
  ];
  return {
    name,
    modes,
    apiKeyEnv: custom.api_key_env,
    oauthTokenEnv: custom.oauth_token_env,
    syncFiles: custom.credential_files,
    defaultMode: canSync ? 'sync' : 'ignore',
  };
}

/** What a mode of a runtime forwards, in words (`config auth show`): never a value. */
export function describeForwarding(facts: RuntimeAuthFacts, mode: AuthMode): string {
  switch (mode) {
    case 'sync':
      return facts.syncFiles.length > 0
        ? `files ${facts.syncFiles.join(', ')}`
        : 'nothing (no credential files)';
    case 'api_key':
      return facts.apiKeyEnv ? `env ${facts.apiKeyEnv}` : 'nothing (no api_key_env)';
    case 'oauth_token':
      return facts.oauthTokenEnv ? `env ${facts.oauthTokenEnv}` : 'nothing (no oauth_token_env)';
    case 'ignore':
      return 'nothing';
  }
}
