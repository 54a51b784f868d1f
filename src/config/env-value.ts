import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * An operator env value: a plain string (`op://…`, `$VAR`/`${VAR}`, or a literal), or a table
 * `{ op, path?, account?, on_demand? }` / `{ value, on_demand? }` (jackin-facts §3.5).
 */
export const envValueSchema = z.union([
  z.string(),
  z.strictObject({
    op: z
      .string()
      .startsWith('op://', 'must start with op://')
      .refine((v) => !v.includes('${'), 'must not contain ${…}'),
    path: z.string().optional(),
    account: z.string().optional(),
    on_demand: z.boolean().optional(),
  }),
  z.strictObject({ value: z.string(), on_demand: z.boolean().optional() }),
]);
export type EnvValue = z.infer<typeof envValueSchema>;

export const envNameSchema = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a valid env name');

/** Names jackin sets itself; rejected in every operator layer and in role manifests (§8.3). */
export const RESERVED_ENV_NAMES: ReadonlySet<string> = new Set([
  'JACKIN',
  'JACKIN_DIND_HOSTNAME',
  'JACKIN_CONTAINER_NAME',
  'JACKIN_INSTANCE_ID',
  'JACKIN_AGENT',
  'JACKIN_AGENT_CODENAME',
  'JACKIN_ROLE',
  'JACKIN_WORKDIR',
  'JACKIN_GIT_COAUTHOR_TRAILER',
  'JACKIN_GIT_DCO',
  'DOCKER_HOST',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
  'TESTCONTAINERS_HOST_OVERRIDE',
  'JACKIN_NETWORK_MODE',
  'JACKIN_ALLOWED_HOSTS',
  'JACKIN_FIREWALL_INSTALLED',
  'JACKIN_NETWORK_ENFORCEMENT',
  'JACKIN_SUDO',
]);

/** An env map (KEY → value) whose keys are valid, non-reserved names. */
export const envMapSchema = z.record(envNameSchema, envValueSchema).superRefine((map, ctx) => {
  for (const key of Object.keys(map)) {
    if (RESERVED_ENV_NAMES.has(key))
      ctx.addIssue({ code: 'custom', path: [key], message: 'reserved by jackin' });
  }
});
export type EnvMap = z.infer<typeof envMapSchema>;

/**
 * Where a value comes from, safe to record and print: an `op://` reference, a host variable
 * name, or a literal's fingerprint. The value itself is never part of it.
 */
export type EnvSource =
  | { readonly kind: 'op'; readonly ref: string; readonly onDemand: boolean }
  | { readonly kind: 'host'; readonly name: string; readonly onDemand: boolean }
  | { readonly kind: 'literal'; readonly fingerprint: string; readonly onDemand: boolean };

const HOST_REF = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))$/;

/** A short, non-reversible tag for a literal, so edits are visible in history without the value. */
export function fingerprint(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 12)}`;
}

export function envSource(value: EnvValue): EnvSource {
  if (typeof value !== 'string' && 'op' in value)
    return { kind: 'op', ref: value.op, onDemand: value.on_demand ?? false };
  const text = typeof value === 'string' ? value : value.value;
  const onDemand = typeof value === 'string' ? false : (value.on_demand ?? false);
  if (text.startsWith('op://')) return { kind: 'op', ref: text, onDemand };
  const host = HOST_REF.exec(text);
  if (host) return { kind: 'host', name: host[1] ?? host[2] ?? '', onDemand };
  return { kind: 'literal', fingerprint: fingerprint(text), onDemand };
}

/** One-word rendering of a source for tables: `op://…`, `$NAME`, or `literal (sha256:…)`. */
export function describeSource(source: EnvSource): string {
  const suffix = source.onDemand ? ' (on demand)' : '';
  if (source.kind === 'op') return `${source.ref}${suffix}`;
  if (source.kind === 'host') return `$${source.name}${suffix}`;
  return `literal ${source.fingerprint}${suffix}`;
}
