import { JackinError } from '../../kernel/errors.js';
import { resolveRole } from '../../roles/resolve-role.js';
import { parseRoleSelector } from '../../roles/selector.js';
import { buildSessionContract } from '../contract/session-contract.js';
import type { ExplainRequest } from '../contract/session-contract.js';
import type { InstanceDeps } from './deps.js';
import type { LimitsInput } from './specs.js';
import { dirtyIsolatedSources } from './workspace.js';
import type { ContractMount } from './workspace.js';

/** What `explain` resolves, plus how the launch runs. */
export interface LaunchRequest extends ExplainRequest {
  readonly rebuild: boolean;
  readonly force: boolean;
  /** Run this argv headless instead of the interactive session (fleet tasks, ADR 0017). */
  readonly headless?: { readonly argv: readonly string[]; readonly env?: Record<string, string> } | undefined;
}

/** Whether resolving this role selector only reads files (a local or built-in role, not a git one). */
function readOnlyRole(
  selector: string | undefined,
  config: Parameters<typeof parseRoleSelector>[1]['config'],
  deps: InstanceDeps,
): boolean {
  if (!selector) return true;
  try {
    return parseRoleSelector(selector, { config, cwd: deps.cwd, home: deps.home }).kind !== 'git';
  } catch {
    return false;
  }
}

export interface ContractView {
  readonly role: { key: string; dir: string | null; agents?: string[] };
  readonly workspace: { name: string | null; label: string; workdir: string };
  readonly agent: string;
  readonly mounts: readonly ContractMount[];
  readonly limits: LimitsInput;
  readonly launch_would_fail: readonly string[];
  readonly sensitive_mounts_need_confirmation: boolean;
}

/** The session contract `explain` shows for these arguments (the exact one a launch records). */
export async function sessionContract(
  request: LaunchRequest,
  deps: InstanceDeps,
): Promise<Record<string, unknown>> {
  return buildSessionContract(
    {
      role: request.role,
      target: request.target,
      workspace: request.workspace,
      mounts: request.mounts,
      agent: request.agent,
      limits: request.limits,
    },
    {
      files: deps.files,
      jackinHome: deps.paths.home,
      rolesDir: deps.paths.roles,
      env: deps.env,
      cwd: deps.cwd,
      home: deps.home,
      docker: deps.docker,
    },
  );
}

async function preflight(contract: ContractView, request: LaunchRequest, deps: InstanceDeps): Promise<void> {
  const [problem] = contract.launch_would_fail;
  if (problem) {
    throw new JackinError(
      problem.includes('manifest') ? 'invalid_manifest' : 'credential_missing',
      `cannot launch: ${problem}`,
      {
        hint: `run \`jackin explain\` with the same arguments to see the whole contract`,
      },
    );
  }
  if (contract.sensitive_mounts_need_confirmation && !request.force) {
    const ok = deps.confirm ? await deps.confirm('A sensitive host path is mounted. Continue?') : false;
    if (!ok) {
      throw new JackinError('sensitive_mount', 'a sensitive host path is mounted and was not confirmed', {
        hint: 'review `jackin explain`, then confirm on a terminal or pass --force',
      });
    }
  }
  const dirty = await dirtyIsolatedSources(contract.mounts, deps.env);
  if (dirty.length > 0 && !request.force) {
    const ok = deps.confirm
      ? await deps.confirm(
          `${dirty.join(', ')} has uncommitted changes the isolated checkout will not include. Continue?`,
        )
      : false;
    if (!ok) {
      throw new JackinError('invalid_input', `${dirty.join(', ')} has uncommitted changes`, {
        hint: 'commit or stash them (the checkout starts from HEAD), or pass --force',
      });
    }
  }
}

type LaunchConfig = Awaited<ReturnType<InstanceDeps['files']['loadConfig']>>['value'];

/**
 * Everything a launch decides before its intent is recorded: config, the role (a git role cloned
 * or refreshed and trusted first), the session contract it will record, and the preflight checks
 * (problems, sensitive mounts, dirty isolated sources). Nothing here touches Docker; `early` carries
 * the launch's read-only Docker questions, already asked.
 */
export async function resolveLaunchContract(
  request: LaunchRequest,
  deps: InstanceDeps,
  early: InstanceDeps,
): Promise<{ config: LaunchConfig; raw: Record<string, unknown>; contract: ContractView; roleDir: string }> {
  const config = (await deps.files.loadConfig()).value;
  const roleReady = request.role
    ? resolveRole(request.role, {
        config,
        rolesDir: deps.paths.roles,
        env: deps.env,
        cwd: deps.cwd,
        home: deps.home,
        now: deps.now,
        forceRefresh: request.rebuild,
        confirmTrust: deps.confirmTrust,
        grantTrust: deps.grantTrust,
      })
    : undefined;
  let raw: Record<string, unknown>;
  if (roleReady && !readOnlyRole(request.role, config, deps)) {
    // A git role is cloned or refreshed (and trusted) first: the contract reads that checkout.
    await roleReady;
    raw = await sessionContract(request, early);
  } else {
    // A local or built-in role is only read, by both: the contract resolves alongside, and the
    // role's own failure (an invalid manifest) still wins.
    const contracted = sessionContract(request, early);
    contracted.catch(() => undefined);
    await roleReady;
    raw = await contracted;
  }
  const contract = raw as unknown as ContractView;
  const roleDir = contract.role.dir;
  if (!roleDir) throw new JackinError('not_found', `role '${contract.role.key}' is not available locally`);
  await preflight(contract, request, deps);
  return { config, raw, contract, roleDir };
}
