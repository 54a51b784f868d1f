import { z } from 'zod';
import { envMapSchema } from './env-value.js';
import {
  agentAuthTables,
  dirtyExitPolicySchema,
  dockerProfileSchema,
  grantsSchema,
  isolationSchema,
  limitsSchema,
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

export const workspaceRoleSchema = z.strictObject({
  env: envMapSchema.optional(),
  limits: limitsSchema.optional(),
  ...agentAuthTables,
});
export type WorkspaceRoleConfig = z.infer<typeof workspaceRoleSchema>;

export const workspaceSchema = z
  .strictObject({
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
  })
  .superRefine((ws, ctx) => {
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
