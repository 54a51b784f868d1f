import { TomlError, parse, stringify } from 'smol-toml';
import { JackinError } from '../kernel/errors.js';
import type { ErrorCode } from '../kernel/errors.js';

export type TomlTable = Record<string, unknown>;

/** Parses TOML text; a syntax error becomes `file:line:col: message` under the given error code. */
export function parseToml(text: string, file: string, code: ErrorCode = 'invalid_config'): TomlTable {
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0] ?? 'invalid TOML';
      throw new JackinError(code, `${file}:${error.line}:${error.column}: ${reason}`, {
        hint: 'fix the TOML syntax at that position',
        cause: error,
      });
    }
    // smol-toml only throws TomlError for bad input; anything else is still the file's fault.
    const message = error instanceof Error ? error.message : String(error);
    throw new JackinError(code, `${file}: ${message}`, { cause: error });
  }
}

/** Renders a plain object as TOML (keys in insertion order, undefined values dropped). */
export function stringifyToml(value: TomlTable): string {
  return stringify(dropUndefined(value));
}

function dropUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropUndefined);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value))
      if (inner !== undefined) out[key] = dropUndefined(inner);
    return out;
  }
  return value;
}
