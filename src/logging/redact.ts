/**
 * What the logger must never write. Keys are matched by shape (any depth), so `ANTHROPIC_API_KEY`,
 * `githubToken` and `clientSecret` are caught without listing them; names, sources and fingerprints
 * of secrets (`tokenSource`, `apiKeyName`) are kept because they are what we log instead of values.
 */
const SECRET_KEY =
  /pass(word|wd|phrase)?|secret|token|api[-_]?key|authorization|cookie|credential|private[-_]?key|client[-_]?key|session[-_]?(id|key)|signature/i;
const SAFE_KEY_SUFFIX =
  /(name|names|source|sources|ref|refs|fingerprint|fingerprints|count|mode|kind|var|vars|path|file|type|scope)$/i;
/** Keys whose whole subtree is withheld: `env` maps and bare `value`s carry values by definition. */
const ALWAYS_REDACTED = new Set(['value', 'values', 'env', 'environment']);

/** Recognisable secret formats, scrubbed from every logged string whatever key they sit under. */
const SECRET_VALUES: readonly RegExp[] = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bsk-ant-[A-Za-z0-9_-]{10,}/g,
  /\bsk-[A-Za-z0-9_-]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
];

export const CENSOR = '[redacted]';
const MAX_DEPTH = 12;

export function isSecretKey(key: string): boolean {
  if (ALWAYS_REDACTED.has(key.toLowerCase())) return true;
  return SECRET_KEY.test(key) && !SAFE_KEY_SUFFIX.test(key);
}

export function scrubSecretValues(text: string): string {
  let out = text;
  for (const pattern of SECRET_VALUES) out = out.replace(pattern, CENSOR);
  return out;
}

/** A copy of `value` with secret-shaped keys censored and secret-shaped strings scrubbed, at any depth. */
export function redactSecrets(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubSecretValues(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  if (value instanceof Error) {
    out.type = value.name;
    out.message = scrubSecretValues(value.message);
    if (value.stack) out.stack = scrubSecretValues(value.stack);
  }
  for (const [key, child] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? CENSOR : redactSecrets(child, depth + 1, seen);
  }
  return out;
}
