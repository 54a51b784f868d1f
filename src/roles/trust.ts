import type { GlobalConfig } from '../config/config-schema.js';
import type { RoleSource } from './selector.js';

/** Built-in roles and the operator's own folders are trusted; git sources once granted. */
export function isTrusted(config: GlobalConfig, source: RoleSource): boolean {
  if (source.kind !== 'git') return true;
  return config.roles?.[source.key]?.trusted === true;
}

/** Marks a git source trusted in config (keeps its env/auth/limits), recording the commit seen. */
export function withTrust(
  config: GlobalConfig,
  key: string,
  url: string,
  commit: string | null,
): GlobalConfig {
  const roles = { ...(config.roles ?? {}) };
  const { trusted_commit: _old, ...rest } = roles[key] ?? {};
  roles[key] = { ...rest, git: url, trusted: true, ...(commit ? { trusted_commit: commit } : {}) };
  return { ...config, roles };
}

/** Withdraws trust; the source URL and the role's other settings stay. */
export function withoutTrust(config: GlobalConfig, key: string): GlobalConfig {
  const roles = { ...(config.roles ?? {}) };
  const { trusted_commit: _old, ...rest } = roles[key] ?? {};
  roles[key] = { ...rest, trusted: false };
  return { ...config, roles };
}
