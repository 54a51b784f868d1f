import { z } from 'zod';
import { GITHUB_AUTH_MODES, authModeSchema } from './runtimes.js';
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
