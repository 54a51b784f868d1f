import { basename, resolve } from 'node:path';
import type { GlobalConfig } from '../config/config-schema.js';
import { JackinError } from '../kernel/errors.js';
import { builtinRolesDir, isBuiltinRole } from './builtin.js';
import { checkGitUrl, looksLikeGitUrl } from './git-url.js';

/** Where a role comes from. `key` names it in config (`[roles.<key>]`), trust, labels and mount scopes. */
export type RoleSource =
  | { readonly kind: 'builtin'; readonly key: string; readonly dir: string }
  | { readonly kind: 'local'; readonly key: string; readonly dir: string }
  | { readonly kind: 'git'; readonly key: string; readonly url: string; readonly configured: boolean };

export const DEFAULT_ROLE_HOST = 'github.com';

const SEGMENT = /^[a-z0-9][a-z0-9-]*$/;

export interface SelectorContext {
  readonly config: GlobalConfig;
  readonly cwd: string;
  readonly home: string;
}

/**
 * Parses a role selector: a local path, a git URL, a built-in or configured name, or `owner/name`
 * (→ `https://<role_host>/owner/jackin-name.git`).
 */
export function parseRoleSelector(selector: string, context: SelectorContext): RoleSource {
  const text = selector.trim();
  if (
    text.startsWith('/') ||
    text.startsWith('./') ||
    text.startsWith('../') ||
    text === '.' ||
    text.startsWith('~')
  ) {
    const dir = text.startsWith('~')
      ? resolve(context.home, text.replace(/^~\/?/, ''))
      : resolve(context.cwd, text);
    return { kind: 'local', key: keyFromName(basename(dir)), dir };
  }
  if (looksLikeGitUrl(text)) {
    const url = checkGitUrl(text);
    return { kind: 'git', key: keyFromUrl(url), url, configured: false };
  }
  const key = text.toLowerCase();
  const parts = key.split('/');
  if (parts.length > 2 || !parts.every((p) => SEGMENT.test(p))) {
    throw new JackinError('invalid_input', `invalid role selector '${selector}'`, {
      hint: 'use a built-in name (agent-smith), owner/name, a git URL, or a path',
    });
  }
  if (parts.length === 1 && key.startsWith('jk-')) {
    throw new JackinError('invalid_input', `role names starting with 'jk-' are reserved ('${selector}')`);
  }
  if (isBuiltinRole(key)) return { kind: 'builtin', key, dir: resolve(builtinRolesDir(), key) };
  const configured = context.config.roles?.[key]?.git;
  if (configured) return { kind: 'git', key, url: checkGitUrl(configured), configured: true };
  const [owner, name] = parts;
  if (!owner || !name) {
    throw new JackinError('not_found', `unknown role '${selector}'`, {
      hint: 'use a built-in role (agent-smith), owner/name, a git URL, or a path',
    });
  }
  const host = context.config.role_host ?? DEFAULT_ROLE_HOST;
  const repo = name.startsWith('jackin-') ? name : `jackin-${name}`;
  return { kind: 'git', key, url: `https://${host}/${owner}/${repo}.git`, configured: false };
}

/** `https://host/Owner/jackin-Name.git` → `owner/name`. */
function keyFromUrl(url: string): string {
  const path = url.replace(/^[a-z]+:\/\/[^/]*\//i, '').replace(/^[^@]+@[^:]+:/, '');
  const segments = path
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .split('/')
    .filter(Boolean);
  const name = keyFromName((segments.at(-1) ?? 'role').replace(/^jackin-/, ''));
  const owner = segments.length > 1 ? keyFromName(segments.at(-2) ?? '') : '';
  return owner ? `${owner}/${name}` : name;
}

function keyFromName(name: string): string {
  const key = name
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return key || 'role';
}
