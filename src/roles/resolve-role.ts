import type { GlobalConfig } from '../config/config-schema.js';
import { DEFAULT_ROLE_TTL_SECONDS } from '../config/config-schema.js';
import { renderProblem } from '../config/issues.js';
import { JackinError } from '../kernel/errors.js';
import { localHeadCommit } from './git.js';
import type { Manifest } from './manifest-schema.js';
import { validateRoleDir } from './manifest-validate.js';
import type { RoleValidation } from './manifest-validate.js';
import { ensureRoleCheckout } from './role-cache.js';
import type { RoleCheckout } from './role-cache.js';
import { parseRoleSelector } from './selector.js';
import type { RoleSource } from './selector.js';
import { isTrusted } from './trust.js';

export interface ResolveRoleDeps {
  readonly config: GlobalConfig;
  readonly rolesDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly home: string;
  readonly now: () => Date;
  readonly forceRefresh?: boolean;
  /** Asks the operator to trust a source; absent when there is no terminal. */
  readonly confirmTrust?: ((question: TrustQuestion) => Promise<boolean>) | undefined;
  /** Persists and records trust granted at the prompt (config write + TrustGranted event). */
  readonly grantTrust: (grant: { key: string; url: string; commit: string }) => Promise<void>;
}

export interface TrustQuestion {
  readonly key: string;
  readonly url: string;
  readonly commit: string;
}

export interface ResolvedRole {
  readonly source: RoleSource;
  readonly dir: string;
  readonly commit: string | null;
  readonly manifest: Manifest;
  readonly validation: RoleValidation;
  readonly trusted: boolean;
  readonly checkout: RoleCheckout['action'] | 'local';
}

/** A role's problems as one `invalid_manifest` error (every problem in the message details). */
export function manifestError(validation: RoleValidation): JackinError {
  const errors = validation.problems.filter((p) => p.severity === 'error').map(renderProblem);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  return new JackinError('invalid_manifest', `invalid role: ${errors[0] ?? validation.file}${more}`, {
    hint: `run \`jackin role validate ${validation.dir}\` to list every problem`,
    details: { problems: errors },
  });
}

/**
 * Resolves a selector to a validated role on disk: clone or refresh git sources into the cache,
 * validate the manifest and Dockerfile, then apply trust on first use (prompt showing URL and
 * commit; refused without a terminal). The gate sits before anything is built.
 */
export async function resolveRole(selector: string, deps: ResolveRoleDeps): Promise<ResolvedRole> {
  const source = parseRoleSelector(selector, { config: deps.config, cwd: deps.cwd, home: deps.home });
  let dir: string;
  let commit: string | null = null;
  let checkout: ResolvedRole['checkout'] = 'local';
  if (source.kind === 'git') {
    const result = await ensureRoleCheckout(source.key, source.url, {
      rolesDir: deps.rolesDir,
      ttlSeconds: deps.config.role_repo_refresh_ttl_seconds ?? DEFAULT_ROLE_TTL_SECONDS,
      env: deps.env,
      now: deps.now,
      ...(deps.forceRefresh ? { forceRefresh: true } : {}),
    });
    dir = result.dir;
    commit = result.commit;
    checkout = result.action;
  } else {
    dir = source.dir;
    commit = await localHeadCommit(dir, deps.env);
  }
  const validation = await validateRoleDir(dir, { extraRuntimes: Object.keys(deps.config.runtimes ?? {}) });
  if (!validation.manifest) throw manifestError(validation);
  let trusted = isTrusted(deps.config, source);
  if (!trusted && source.kind === 'git') {
    const question = { key: source.key, url: source.url, commit: commit ?? 'unknown' };
    if (!deps.confirmTrust) {
      throw new JackinError('untrusted_role', `role source '${source.key}' (${source.url}) is not trusted`, {
        hint: `review it, then run \`jackin config trust grant ${source.key}\``,
      });
    }
    if (!(await deps.confirmTrust(question))) {
      throw new JackinError('untrusted_role', `role source '${source.key}' not trusted — aborting`, {
        hint: `run \`jackin config trust grant ${source.key}\` once you have reviewed it`,
      });
    }
    await deps.grantTrust({ key: source.key, url: source.url, commit: commit ?? '' });
    trusted = true;
  }
  return { source, dir, commit, manifest: validation.manifest, validation, trusted, checkout };
}
