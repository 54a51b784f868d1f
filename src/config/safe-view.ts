import { describeSource, envSource, envValueSchema } from './env-value.js';

/**
 * A copy of a config or workspace table that is safe to record: every env value is replaced by
 * its source (`op://…`, `$VAR`, or `literal sha256:…`) and mounts are keyed by destination.
 */
export function safeView(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    if (key === 'mounts' && value.every((m) => typeof m === 'object' && m !== null && 'dst' in m)) {
      return Object.fromEntries(value.map((m: Record<string, unknown>) => [String(m.dst), safeView(m)]));
    }
    return value.map((v) => safeView(v));
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        k === 'env' && v !== null && typeof v === 'object'
          ? safeEnv(v as Record<string, unknown>)
          : safeView(v, k);
    }
    return out;
  }
  return value;
}

function safeEnv(env: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(env)) {
    const parsed = envValueSchema.safeParse(raw);
    out[name] = parsed.success ? describeSource(envSource(parsed.data)) : '(invalid)';
  }
  return out;
}

export interface Change {
  readonly path: string;
  readonly op: 'added' | 'removed' | 'changed';
  readonly before?: unknown;
  readonly after?: unknown;
}

/** Leaf-level differences between two safe views (arrays compared whole). */
export function diffViews(before: unknown, after: unknown): Change[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: Change[] = [];
  for (const [path, value] of a) {
    if (!b.has(path)) changes.push({ path, op: 'removed', before: value });
    else if (JSON.stringify(value) !== JSON.stringify(b.get(path)))
      changes.push({ path, op: 'changed', before: value, after: b.get(path) });
  }
  for (const [path, value] of b) if (!a.has(path)) changes.push({ path, op: 'added', after: value });
  return changes;
}

/** Diff of two raw tables through their safe views. */
export function diffTables(before: unknown, after: unknown): Change[] {
  return diffViews(safeView(before ?? {}), safeView(after ?? {}));
}

function flatten(value: unknown, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out.set(prefix, {});
    for (const [k, v] of entries)
      flatten(v, prefix ? `${prefix}.${k.includes('.') || k.includes('/') ? JSON.stringify(k) : k}` : k, out);
    return out;
  }
  if (prefix) out.set(prefix, value);
  return out;
}
