import { z } from 'zod';
import { envMapSchema } from './env-value.js';
import { BUILTIN_RUNTIMES, runtimeDefinitionSchema, runtimeNameSchema } from './runtimes.js';
import {
  agentAuthTables,
  dirtyExitPolicySchema,
  dockerProfileSchema,
  githubAuthSchema,
  grantsSchema,
  limitsSchema,
  runtimeAuthTableNames,
  withRuntimeAuthTables,
} from './shared-schema.js';
import { WORKSPACE_RESERVED_KEYS } from './workspace-schema.js';

export const CONFIG_VERSION = 'v1alpha10';

/** A global mount in `[docker.mounts]`. Isolation is a workspace notion and is rejected here. */
export const globalMountSchema = z.strictObject({
  src: z.string().min(1),
  dst: z.string().min(1),
  readonly: z.boolean().default(false),
});
export type GlobalMount = z.infer<typeof globalMountSchema>;

function isMountShape(value: unknown): boolean {
  return typeof value === 'object' && value !== null && 'src' in value;
}

/**
 * `[docker.mounts]` holds unscoped mounts by name and, in sub-tables keyed by a role glob, scoped
 * ones: `[docker.mounts."acme/*"] secrets = {…}`. An entry with `src` is a mount, else a scope.
 */
export const mountsTableSchema = z.record(
  z.string().min(1),
  z.union([globalMountSchema, z.record(z.string().min(1), globalMountSchema)]).superRefine((value, ctx) => {
    if (isMountShape(value)) return;
    if (typeof value !== 'object' || value === null)
      ctx.addIssue({ code: 'custom', message: 'expected a mount or a scope table' });
  }),
);

/** Whether a string is an absolute http(s) URL (the GitHub API base). */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** `[github] api_url`: the REST API the fleet talks to (GitHub Enterprise: `https://HOST/api/v3`). */
export const githubApiUrlSchema = z
  .string()
  .refine(isHttpUrl, { message: 'expected an http(s) URL, e.g. https://github.example.com/api/v3' })
  .describe(
    'GitHub REST API base for `task import github` and `links poll` (GitHub Enterprise: https://HOST/api/v3); default https://api.github.com; JACKIN_GITHUB_API_URL overrides it',
  );

const roleConfigShape = {
  git: z.string().min(1).optional(),
  trusted: z.boolean().optional(),
  /** The commit the operator trusted (recorded on first use). */
  trusted_commit: z.string().optional(),
  env: envMapSchema.optional(),
  limits: limitsSchema.optional(),
  ...agentAuthTables,
};
export const roleConfigSchema = withRuntimeAuthTables(roleConfigShape);
export type RoleConfig = z.infer<typeof roleConfigSchema>;

const globalConfigShape = {
  version: z.literal(CONFIG_VERSION),
  role_repo_refresh_ttl_seconds: z.number().int().nonnegative().optional(),
  /** Host used for `owner/name` selectors (`https://<host>/owner/jackin-name.git`). */
  role_host: z.string().min(1).optional(),
  dirty_exit_policy: dirtyExitPolicySchema.optional(),
  ...agentAuthTables,
  github: githubAuthSchema.extend({ api_url: githubApiUrlSchema.optional() }).optional(),
  env: envMapSchema.optional(),
  roles: z.record(z.string().min(1), roleConfigSchema).optional(),
  docker: z
    .strictObject({
      profile: dockerProfileSchema.optional(),
      grants: grantsSchema.optional(),
      mounts: mountsTableSchema.optional(),
    })
    .optional(),
  runtime: z.strictObject({ default_backend: z.enum(['docker', 'apple-container']).optional() }).optional(),
  runtimes: z.record(runtimeNameSchema, runtimeDefinitionSchema).optional(),
  telemetry: z
    .strictObject({
      level: z.enum(['info', 'debug', 'trace']).optional(),
      categories: z.array(z.string()).optional(),
    })
    .optional(),
  git: z.strictObject({ coauthor_trailer: z.boolean().optional(), dco: z.boolean().optional() }).optional(),
  limits: limitsSchema.optional(),
  /** Prewarmed DinD sidecars kept ready for the next `jackin load` (ADR 0020); 0 or absent: none. */
  prewarm: z.strictObject({ sidecars: z.number().int().min(0).max(16).optional() }).optional(),
  /** Extra CA certificates (PEM files) installed into images and instances, e.g. a proxy's CA. */
  extra_ca_certs: z.array(z.string().min(1)).optional(),
};

const GLOBAL_KEYS: ReadonlySet<string> = new Set(Object.keys(globalConfigShape));
const ROLE_KEYS: ReadonlySet<string> = new Set(Object.keys(roleConfigShape));
/** Names a runtime cannot take: its auth table would be another key of config.toml or a workspace. */
const RESERVED_RUNTIME_NAMES: ReadonlySet<string> = new Set(
  [...GLOBAL_KEYS, ...ROLE_KEYS, ...WORKSPACE_RESERVED_KEYS].filter((key) => !BUILTIN_RUNTIMES.includes(key)),
);

/**
 * config.toml. Besides the built-ins' `[claude]` … tables, `[<runtime>]` (and `[roles.<r>.<runtime>]`)
 * holds the auth mode of a runtime declared under `[runtimes.<runtime>]`; any other key is unknown.
 */
export const globalConfigSchema = withRuntimeAuthTables(globalConfigShape).superRefine((cfg, ctx) => {
  const declared = new Set(Object.keys(cfg.runtimes ?? {}));
  const undeclared = (holder: object, known: ReadonlySet<string>, path: (string | number)[]): void => {
    for (const key of runtimeAuthTableNames(holder, known)) {
      if (declared.has(key)) continue;
      ctx.addIssue({
        code: 'custom',
        path: [...path, key],
        message: `unknown key (no runtime '${key}' is declared under [runtimes])`,
      });
    }
  };
  undeclared(cfg, GLOBAL_KEYS, []);
  for (const [role, table] of Object.entries(cfg.roles ?? {})) undeclared(table, ROLE_KEYS, ['roles', role]);
  for (const name of declared) {
    if (RESERVED_RUNTIME_NAMES.has(name))
      ctx.addIssue({
        code: 'custom',
        path: ['runtimes', name],
        message: `'${name}' is a key of config.toml or of a workspace; a runtime cannot take that name`,
      });
  }
});
export type GlobalConfig = z.infer<typeof globalConfigSchema>;

export const DEFAULT_ROLE_TTL_SECONDS = 60;

export function emptyConfig(): GlobalConfig {
  return { version: CONFIG_VERSION };
}

/** Every global mount with its scope (`undefined` = every role). */
export function listGlobalMounts(
  config: GlobalConfig,
): { name: string; scope: string | undefined; mount: GlobalMount }[] {
  const out: { name: string; scope: string | undefined; mount: GlobalMount }[] = [];
  for (const [name, entry] of Object.entries(config.docker?.mounts ?? {})) {
    if (isMountShape(entry)) out.push({ name, scope: undefined, mount: entry as GlobalMount });
    else
      for (const [inner, mount] of Object.entries(entry as Record<string, GlobalMount>))
        out.push({ name: inner, scope: name, mount });
  }
  return out;
}
