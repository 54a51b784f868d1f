import { z } from 'zod';
import { defineEvent } from '../define.js';

/** One change in a structured diff. Env values appear only as their source (`op://…`, `$VAR`, fingerprint). */
const change = z.object({
  path: z.string().min(1),
  op: z.enum(['added', 'removed', 'changed']),
  before: z.unknown().optional(),
  after: z.unknown().optional(),
});

const mountSummary = z.object({
  src: z.string(),
  dst: z.string(),
  readonly: z.boolean(),
  isolation: z.string(),
});

/** Where an auth mode or env value applies: global, a role, a workspace, or a workspace × role. */
const scope = z.object({ workspace: z.string().optional(), role: z.string().optional() });

/** Config and workspace files as code: every edit made through jackin is recorded here. */
export const configEvents = {
  WorkspaceCreated: defineEvent({
    version: 1,
    description: 'A workspace file was created.',
    schema: () =>
      z.object({
        workspace: z.string().min(1),
        workdir: z.string(),
        mounts: z.array(mountSummary),
        allowedRoles: z.array(z.string()).default([]),
        defaultRole: z.string().optional(),
        defaultAgent: z.string().optional(),
      }),
  }),
  WorkspaceChanged: defineEvent({
    version: 1,
    description: 'A workspace file was edited; carries a structured diff.',
    schema: () =>
      z.object({
        workspace: z.string().min(1),
        changes: z.array(change).min(1),
        migratedFrom: z.string().optional(),
      }),
  }),
  WorkspaceRemoved: defineEvent({
    version: 1,
    description: 'A workspace file was deleted.',
    schema: () => z.object({ workspace: z.string().min(1) }),
  }),
  ConfigChanged: defineEvent({
    version: 1,
    description: 'config.toml was edited (global mounts, env, settings); carries a structured diff.',
    schema: () => z.object({ changes: z.array(change).min(1), migratedFrom: z.string().optional() }),
  }),
  AuthModeChanged: defineEvent({
    version: 1,
    description: 'The auth forwarding mode of a runtime changed for a scope.',
    schema: () =>
      z.object({
        agent: z.string().min(1),
        mode: z.string().min(1),
        previous: z.string().nullable(),
        scope,
      }),
  }),
  TrustGranted: defineEvent({
    version: 1,
    description: 'A role source was trusted (on first use or by command), with the commit seen.',
    schema: () =>
      z.object({
        role: z.string().min(1),
        source: z.string().min(1),
        commit: z.string().nullable(),
        via: z.enum(['prompt', 'command']),
      }),
  }),
  TrustRevoked: defineEvent({
    version: 1,
    description: 'Trust in a role source was withdrawn.',
    schema: () => z.object({ role: z.string().min(1), source: z.string().nullable() }),
  }),
} as const;
