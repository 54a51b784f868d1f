import { JackinError } from '../kernel/errors.js';
import { RESERVED_ENV_NAMES, envNameSchema, envValueSchema } from './env-value.js';
import type { EnvMap, EnvValue } from './env-value.js';

/** Something with a base env layer and per-role env layers: config.toml or a workspace file. */
export interface EnvLayers {
  env?: EnvMap | undefined;
  roles?: Record<string, { env?: EnvMap | undefined }> | undefined;
}

export function checkEnvName(key: string): void {
  if (!envNameSchema.safeParse(key).success) {
    throw new JackinError('invalid_input', `invalid env name '${key}'`, {
      hint: 'names are letters, digits and _, not starting with a digit',
    });
  }
  if (RESERVED_ENV_NAMES.has(key))
    throw new JackinError('invalid_input', `env name '${key}' is reserved by jackin`);
}

/** A CLI value: literal, `$VAR` / `${VAR}`, or `op://vault/item/field`. */
export function parseEnvValue(key: string, value: string): EnvValue {
  if (value.startsWith('op://') && value.includes('${')) {
    throw new JackinError('invalid_input', `${key}: op:// references cannot contain \${…}`);
  }
  return envValueSchema.parse(value);
}

export function envOf(layers: EnvLayers, role: string | undefined): EnvMap {
  return (role === undefined ? layers.env : layers.roles?.[role]?.env) ?? {};
}

/** Sets KEY in the base or a role's layer (mutates `layers`). */
export function setEnv<T extends EnvLayers>(
  layers: T,
  role: string | undefined,
  key: string,
  value: EnvValue,
): T {
  checkEnvName(key);
  if (role === undefined) {
    layers.env = { ...(layers.env ?? {}), [key]: value };
  } else {
    const roles = (layers.roles ??= {});
    const entry = (roles[role] ??= {});
    entry.env = { ...(entry.env ?? {}), [key]: value };
  }
  return layers;
}

/** Removes KEY; returns false when it was not set. Empty tables are dropped. */
export function unsetEnv(layers: EnvLayers, role: string | undefined, key: string): boolean {
  const map = envOf(layers, role);
  if (!(key in map)) return false;
  const { [key]: _removed, ...rest } = map;
  const empty = Object.keys(rest).length === 0;
  if (role === undefined) {
    if (empty) delete layers.env;
    else layers.env = rest;
  } else {
    const entry = layers.roles?.[role];
    if (entry) {
      if (empty) delete entry.env;
      else entry.env = rest;
      if (Object.keys(entry).length === 0 && layers.roles) delete layers.roles[role];
      if (layers.roles && Object.keys(layers.roles).length === 0) delete layers.roles;
    }
  }
  return true;
}
