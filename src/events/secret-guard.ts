import { JackinError } from '../kernel/errors.js';

// A key names a secret when it ends in one of these words (snake, kebab or camel case).
const SECRET_KEY =
  /(password|passwd|secret|token|api[_-]?key|private[_-]?key|credentials?|authorization|cookie)$/i;
// What may be recorded under such a key: a reference or a fingerprint, never the value.
const SAFE_VALUE = [
  /^\$[A-Za-z_][A-Za-z0-9_]*$/, // $HOST_VAR
  /^op:\/\//, // 1Password reference
  /^(literal )?\(?sha256:[0-9a-f]{6,64}\)?$/, // fingerprint
  /^\[redacted\]$/,
  /^$/,
];

/**
 * The last line of defence for free-form payload fields (the session contract, config diffs): a
 * string stored under a secret-shaped key must be a reference or a fingerprint. Throws otherwise,
 * so a programming error can never write a credential into the log.
 */
export function assertNoSecretValues(type: string, data: unknown, path = ''): void {
  if (Array.isArray(data)) {
    data.forEach((item, index) => assertNoSecretValues(type, item, `${path}[${index}]`));
    return;
  }
  if (typeof data !== 'object' || data === null) return;
  for (const [key, value] of Object.entries(data)) {
    const here = path ? `${path}.${key}` : key;
    if (typeof value === 'string' && SECRET_KEY.test(key) && !SAFE_VALUE.some((safe) => safe.test(value))) {
      throw new JackinError(
        'invalid_event',
        `${type}: ${here} looks like a secret value; events record sources and fingerprints only`,
        {
          hint: 'this is a jackin bug: record the credential as its source ($VAR, op://…) or a sha256 fingerprint',
        },
      );
    }
    assertNoSecretValues(type, value, here);
  }
}
