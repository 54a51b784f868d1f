import { z } from 'zod';
import { GITHUB_AUTH_MODES, authModeSchema, runtimeNameSchema } from './runtimes.js';
import { envMapSchema } from './env-value.js';

/** `512m`, `4g`, `1.5G`, `2GB` (K/M/G/T, optional B). */
export const sizeSchema = z.string().regex(/^\d+(\.\d+)?\s*[kmgt]?b?$/i, 'expected a size like 512m or 4g');

export const limitsSchema = z.strictObject({
  memory: sizeSchema.optional(),
  cpus: z.number().positive().optional(),
  pids: z.number().int().positive().optional(),
});
export type Limits = z.infer<typeof limitsSchema>;

export const agentAuthSchema = z.strictObject({
  auth_forward: authModeSchema.optional(),
  sync_source_dir: z.string().optional(),
});

export const githubAuthSchema = z.strictObject({
  auth_forward: z.enum(GITHUB_AUTH_MODES).optional(),
  env: envMapSchema.optional(),
});

/** Per-agent auth tables, `[claude]`, `[codex]`, … (jackin-facts §3.3). */
export const agentAuthTables = {
  claude: agentAuthSchema.optional(),
  codex: agentAuthSchema.optional(),
  amp: agentAuthSchema.optional(),
  kimi: agentAuthSchema.optional(),
  opencode: agentAuthSchema.optional(),
  grok: agentAuthSchema.optional(),
  github: githubAuthSchema.optional(),
};

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A strict table that may also hold the auth tables of operator-defined runtimes
 * (`[<runtime>] auth_forward = …`, beside the built-ins' `[claude]` …): config.toml, its
 * `[roles.<r>]`, a workspace file and its `[roles.<r>]`. Any other key is still unknown. The shape
 * is checked here; whether such a runtime is declared under `[runtimes]` is checked where
 * config.toml is known (`undeclaredRuntimeTables`).
 */
export function withRuntimeAuthTables<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = new Set(Object.keys(shape));
  return z
    .object(shape)
    .catchall(z.unknown())
    .superRefine((value, ctx) => {
      for (const [key, table] of Object.entries(value)) {
        if (known.has(key)) continue;
        if (!runtimeNameSchema.safeParse(key).success || !isTable(table)) {
          ctx.addIssue({ code: 'unrecognized_keys', keys: [key], input: value });
          continue;
        }
        const parsed = agentAuthSchema.safeParse(table);
        if (!parsed.success)
          for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: [key, ...issue.path] });
      }
    });
}

/** The keys of a parsed table that are not in its shape: operator-defined runtimes' auth tables. */
export function runtimeAuthTableNames(value: object, known: ReadonlySet<string>): string[] {
  return Object.keys(value).filter((key) => !known.has(key));
}

export const grantsSchema = z.strictObject({
  network: z.enum(['none', 'allowlist', 'open']).optional(),
  allowed_hosts: z.array(z.string().min(1)).optional(),
  dind: z.enum(['none', 'rootless', 'privileged']).optional(),
  user: z.string().optional(),
  sudo: z.boolean().optional(),
  system_writes: z.boolean().optional(),
  memory: sizeSchema.optional(),
  memory_reservation: sizeSchema.optional(),
  cpus: z.number().positive().optional(),
  pids: z.number().int().positive().optional(),
  nofile: z.number().int().positive().optional(),
  capabilities_add: z.array(z.string()).optional(),
});

export const dockerProfileSchema = z.enum(['locked', 'hardened', 'standard', 'compat']);
export const dirtyExitPolicySchema = z.enum(['ask', 'keep', 'discard']);
export const isolationSchema = z.enum(['shared', 'worktree', 'clone']);
export type Isolation = z.infer<typeof isolationSchema>;

/** A role selector as stored in config: `name` or `owner/name`, lowercase (or a glob in scopes). */
export const roleKeySchema = z.string().min(1);
