import { WORKSPACE_VERSION } from '../config/workspace-schema.js';
import type { Workspace, WorkspaceMount } from '../config/workspace-schema.js';
import { isolationSchema } from '../config/shared-schema.js';
import type { Isolation } from '../config/shared-schema.js';
import { JackinError } from '../kernel/errors.js';
import { findRedundant } from './mount-plan.js';
import { checkContainerPath, expandHostPath, parseMountSpec } from './mount-spec.js';
import type { PathContext } from './mount-spec.js';

/** The edits `workspace create` and `workspace edit` can make, as parsed from flags. */
export interface WorkspaceEdits {
  readonly workdir?: string | undefined;
  readonly mounts?: readonly string[];
  readonly removeDestinations?: readonly string[];
  readonly noWorkdirMount?: boolean;
  readonly allowedRoles?: readonly string[];
  readonly removeAllowedRoles?: readonly string[];
  readonly defaultRole?: string | null | undefined;
  readonly defaultAgent?: string | null | undefined;
  readonly isolation?: readonly string[];
  readonly keepAwake?: boolean | undefined;
  readonly gitPull?: boolean | undefined;
  readonly prune?: boolean;
}

/** `DST=shared|worktree|clone` → [dst, isolation]. */
export function parseIsolationFlag(text: string): [string, Isolation] {
  const eq = text.lastIndexOf('=');
  const parsed = isolationSchema.safeParse(text.slice(eq + 1));
  if (eq <= 0 || !parsed.success) {
    throw new JackinError('invalid_input', `invalid --mount-isolation '${text}'`, {
      hint: 'use DST=shared|worktree|clone',
    });
  }
  return [checkContainerPath(text.slice(0, eq), text), parsed.data];
}

export function newWorkspace(workdir: string, context: PathContext): Workspace {
  return {
    version: WORKSPACE_VERSION,
    workdir: workdirPath(workdir, context),
    mounts: [],
    allowed_roles: [],
  };
}

function workdirPath(workdir: string, context: PathContext): string {
  return workdir.startsWith('~')
    ? expandHostPath(workdir, context)
    : checkContainerPath(workdir, `--workdir ${workdir}`);
}

/**
 * Applies flag edits to a workspace (pure; the caller validates and writes). `--mount` upserts by
 * destination; with no mounts at all the workdir is mounted at the same path. Returns the
 * redundant mounts that were dropped.
 */
export function applyWorkspaceEdits(
  input: Workspace,
  edits: WorkspaceEdits,
  context: PathContext,
): { workspace: Workspace; collapsed: WorkspaceMount[] } {
  const ws: Workspace = structuredClone(input);
  if (edits.workdir !== undefined) ws.workdir = workdirPath(edits.workdir, context);
  let mounts = [...ws.mounts];
  for (const dst of edits.removeDestinations ?? []) {
    const normal = checkContainerPath(dst, `--remove-destination ${dst}`);
    if (!mounts.some((m) => m.dst === normal))
      throw new JackinError('not_found', `no mount at '${normal}' in this workspace`);
    mounts = mounts.filter((m) => m.dst !== normal);
  }
  if (edits.noWorkdirMount) mounts = mounts.filter((m) => !(m.src === ws.workdir && m.dst === ws.workdir));
  const added: WorkspaceMount[] = [];
  for (const spec of edits.mounts ?? []) {
    const parsed = parseMountSpec(spec, context);
    const mount: WorkspaceMount = {
      src: parsed.src,
      dst: parsed.dst,
      readonly: parsed.readonly,
      isolation: 'shared',
    };
    if (added.some((m) => m.dst === mount.dst)) {
      throw new JackinError(
        'invalid_input',
        `duplicate container destination '${mount.dst}' in --mount flags`,
      );
    }
    const existing = mounts.findIndex((m) => m.dst === mount.dst);
    if (existing >= 0) mounts[existing] = { ...mount, isolation: mounts[existing]?.isolation ?? 'shared' };
    else mounts.push(mount);
    added.push(mount);
  }
  if (mounts.length === 0 && !edits.noWorkdirMount && ws.workdir.startsWith('/')) {
    mounts.push({ src: ws.workdir, dst: ws.workdir, readonly: false, isolation: 'shared' });
  }
  for (const flag of edits.isolation ?? []) {
    const [dst, isolation] = parseIsolationFlag(flag);
    const index = mounts.findIndex((m) => m.dst === dst);
    const target = mounts[index];
    if (!target)
      throw new JackinError('invalid_input', `--mount-isolation: no mount at '${dst}'`, {
        hint: 'DST must be a destination in the mount plan',
      });
    mounts[index] = { ...target, isolation };
  }
  const collapsed = edits.prune || added.length > 0 ? findRedundant(mounts) : [];
  ws.mounts = mounts.filter((m) => !collapsed.includes(m));
  const allowed = new Set([...ws.allowed_roles, ...(edits.allowedRoles ?? [])]);
  for (const role of edits.removeAllowedRoles ?? []) allowed.delete(role);
  ws.allowed_roles = [...allowed];
  if (edits.defaultRole === null) delete ws.default_role;
  else if (edits.defaultRole !== undefined) ws.default_role = edits.defaultRole;
  if (edits.defaultAgent === null) delete ws.default_agent;
  else if (edits.defaultAgent !== undefined) ws.default_agent = edits.defaultAgent;
  if (edits.keepAwake !== undefined) {
    if (edits.keepAwake) ws.keep_awake = { enabled: true };
    else delete ws.keep_awake;
  }
  if (edits.gitPull !== undefined) {
    if (edits.gitPull) ws.git_pull_on_entry = true;
    else delete ws.git_pull_on_entry;
  }
  return { workspace: ws, collapsed };
}
