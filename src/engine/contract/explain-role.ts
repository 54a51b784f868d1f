import { stat } from 'node:fs/promises';
import type { GlobalConfig } from '../../config/config-schema.js';
import { renderProblem } from '../../config/issues.js';
import type { Manifest } from '../../roles/manifest-schema.js';
import { validateRoleDir } from '../../roles/manifest-validate.js';
import { cachedCommit } from '../../roles/role-cache.js';
import { localHeadCommit } from '../../roles/git.js';
import { parseRoleSelector } from '../../roles/selector.js';
import { isTrusted } from '../../roles/trust.js';

/** The role part of the contract, resolved without cloning or fetching anything. */
export interface RoleFacts {
  readonly key: string;
  readonly kind: 'builtin' | 'local' | 'git';
  readonly source: string;
  readonly dir: string | null;
  readonly commit: string | null;
  readonly cached: boolean;
  readonly trusted: boolean;
  readonly trustedCommit: string | null;
  readonly valid: boolean;
  readonly problems: string[];
  readonly from: string | null;
  readonly manifest: Manifest | undefined;
}

export async function explainRole(
  selector: string,
  deps: { config: GlobalConfig; rolesDir: string; env: NodeJS.ProcessEnv; cwd: string; home: string },
): Promise<RoleFacts> {
  const source = parseRoleSelector(selector, { config: deps.config, cwd: deps.cwd, home: deps.home });
  let dir: string | null = null;
  let commit: string | null = null;
  if (source.kind === 'git') {
    const cached = await cachedCommit(source.key, deps.rolesDir, deps.env);
    dir = cached?.dir ?? null;
    commit = cached?.commit ?? null;
  } else if (
    await stat(source.dir).then(
      () => true,
      () => false,
    )
  ) {
    dir = source.dir;
    // a built-in role ships with jackin: its "commit" would be jackin's own checkout, not the role's
    if (source.kind === 'local') commit = await localHeadCommit(dir, deps.env);
  }
  const validation = dir
    ? await validateRoleDir(dir, { extraRuntimes: Object.keys(deps.config.runtimes ?? {}) })
    : undefined;
  return {
    key: source.key,
    kind: source.kind,
    source: source.kind === 'git' ? source.url : source.dir,
    dir,
    commit,
    cached: dir !== null,
    trusted: isTrusted(deps.config, source),
    trustedCommit: deps.config.roles?.[source.key]?.trusted_commit ?? null,
    valid: validation?.manifest !== undefined,
    problems: validation ? validation.problems.map(renderProblem) : [],
    from: validation?.from?.ok ? validation.from.image : null,
    manifest: validation?.manifest,
  };
}
