import { z } from 'zod';
import { envMapSchema } from './env-value.js';
import {
  agentAuthTables,
  dirtyExitPolicySchema,
  dockerProfileSchema,
  grantsSchema,
  isolationSchema,
  limitsSchema,
  runtimeAuthTableNames,
  withRuntimeAuthTables,
} from './shared-schema.js';

export const WORKSPACE_VERSION = 'v1alpha9';

export const workspaceNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'workspace names are letters, digits, dots, dashes and underscores')
  .max(64);

export const workspaceMountSchema = z.strictObject({
  src: z.string().min(1),
  dst: z.string().min(1),
  readonly: z.boolean().default(false),
  isolation: isolationSchema.default('shared'),
});
export type WorkspaceMount = z.infer<typeof workspaceMountSchema>;

const workspaceRoleShape = {
  env: envMapSchema.optional(),
  limits: limitsSchema.optional(),
  ...agentAuthTables,
};
export const workspaceRoleSchema = withRuntimeAuthTables(workspaceRoleShape);
export type WorkspaceRoleConfig = z.infer<typeof workspaceRoleSchema>;

const workspaceShape = {
  version: z.literal(WORKSPACE_VERSION),
  workdir: z.string().min(1),
  mounts: z.array(workspaceMountSchema).default([]),
  allowed_roles: z.array(z.string().min(1)).default([]),
  default_role: z.string().min(1).optional(),
  last_role: z.string().min(1).optional(),
  default_agent: z.string().min(1).optional(),
  env: envMapSchema.optional(),
  ...agentAuthTables,
  roles: z.record(z.string().min(1), workspaceRoleSchema).optional(),
  keep_awake: z.strictObject({ enabled: z.boolean() }).optional(),
  git_pull_on_entry: z.boolean().optional(),
  runtime: z.strictObject({ backend: z.enum(['docker', 'apple-container']).optional() }).optional(),
  dirty_exit_policy: dirtyExitPolicySchema.optional(),
  docker: z
    .strictObject({ profile: dockerProfileSchema.optional(), grants: grantsSchema.optional() })
    .optional(),
  limits: limitsSchema.optional(),
};

export const workspaceSchema = withRuntimeAuthTables(workspaceShape).superRefine((ws, ctx) => {
  if (ws.default_role && ws.allowed_roles.length > 0 && !ws.allowed_roles.includes(ws.default_role)) {
    ctx.addIssue({
      code: 'custom',
      path: ['default_role'],
      message: `'${ws.default_role}' is not in allowed_roles`,
    });
  }
  if (!ws.workdir.startsWith('/'))
    ctx.addIssue({ code: 'custom', path: ['workdir'], message: 'must be an absolute container path' });
  const seen = new Map<string, number>();
  ws.mounts.forEach((mount, index) => {
    if (!mount.dst.startsWith('/'))
      ctx.addIssue({
        code: 'custom',
        path: ['mounts', index, 'dst'],
        message: `destination '${mount.dst}' is relative`,
      });
    const first = seen.get(mount.dst);
    if (first !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['mounts', index, 'dst'],
        message: `destination '${mount.dst}' is already used by mounts[${first}]`,
      });
    } else seen.set(mount.dst, index);
    if (mount.isolation !== 'shared' && mount.readonly) {
      ctx.addIssue({
        code: 'custom',
        path: ['mounts', index, 'isolation'],
        message: `${mount.isolation} isolation cannot be readonly`,
      });
    }
  });
});
export type Workspace = z.infer<typeof workspaceSchema>;

const WORKSPACE_KEYS: ReadonlySet<string> = new Set(Object.keys(workspaceShape));
const WORKSPACE_ROLE_KEYS: ReadonlySet<string> = new Set(Object.keys(workspaceRoleShape));

/** The keys a workspace file (or its `[roles.<r>]`) has for itself: no runtime may be named after them. */
export const WORKSPACE_RESERVED_KEYS: ReadonlySet<string> = new Set([
  ...WORKSPACE_KEYS,
  ...WORKSPACE_ROLE_KEYS,
]);

/** Every operator-defined runtime's auth table in a workspace, with its path (`roles.smith.tool`). */
export function workspaceRuntimeTables(ws: Workspace): { runtime: string; path: (string | number)[] }[] {
  const out = runtimeAuthTableNames(ws, WORKSPACE_KEYS).map((runtime) => ({ runtime, path: [runtime] }));
  for (const [role, table] of Object.entries(ws.roles ?? {}))
    for (const runtime of runtimeAuthTableNames(table, WORKSPACE_ROLE_KEYS))
      out.push({ runtime, path: ['roles', role, runtime] });
  return out;
}
