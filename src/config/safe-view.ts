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

/** Differences between two safe views: a subtree added or removed whole is one change; arrays compare whole. */
export function diffViews(before: unknown, after: unknown, prefix = ''): Change[] {
  if (isPlain(before) && isPlain(after)) {
    const changes: Change[] = [];
    for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const path = prefix ? `${prefix}.${segment(key)}` : segment(key);
      if (!(key in after)) changes.push({ path, op: 'removed', before: before[key] });
      else if (!(key in before)) changes.push({ path, op: 'added', after: after[key] });
      else changes.push(...diffViews(before[key], after[key], path));
    }
    return changes;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: prefix || '(file)', op: 'changed', before, after }];
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function segment(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

/** Diff of two raw tables through their safe views. */
export function diffTables(before: unknown, after: unknown): Change[] {
  return diffViews(safeView(before ?? {}), safeView(after ?? {}));
}
