import { z } from 'zod';
import { defineEvent } from '../define.js';

const fingerprint = z.string().regex(/^sha256:[0-9a-f]{12}$/, 'a short sha256 fingerprint');

/** Agent runtimes: credentials forwarded into an instance and tags the agent printed. */
export const agentEvents = {
  AuthForwarded: defineEvent({
    version: 1,
    description:
      'A runtime credential (or the GitHub CLI login) was forwarded into an instance: mode, source and a fingerprint, never the value.',
    schema: () =>
      z.object({
        instanceId: z.string().min(1),
        /** A runtime name, or `github` for the GitHub CLI. */
        runtime: z.string().min(1),
        mode: z.enum(['sync', 'api_key', 'oauth_token', 'token', 'ignore']),
        /** The scope that chose the mode (`default`, `global`, `role:…`, `workspace:…`, `workspace:…×role:…`). */
        scope: z.string().min(1),
        /** Where it came from: a host file path, `$NAME`, an `op://` reference, `literal`, or `instance` (kept). */
        source: z.string(),
        /** Short hash of what was forwarded (file bytes or value), so a change is visible; absent for ignore. */
        fingerprint: fingerprint.optional(),
        /** Env names set in the container (values go to a private env file). */
        envNames: z.array(z.string()).default([]),
        /** Paths written under the instance's home (relative to /home/agent). */
        files: z.array(z.string()).default([]),
        /** Paths removed because the mode forwards no file (e.g. a stale synced login under api_key). */
        removed: z.array(z.string()).default([]),
      }),
  }),
  AgentTagEmitted: defineEvent({
    version: 1,
    description: 'The agent printed a <jackin:…/> tag (status, pr, issue) in its session.',
    schema: () =>
      z.object({
        instanceId: z.string().min(1),
        session: z.string().default('main'),
        tag: z.enum(['status', 'pr', 'issue']),
        url: z.string().optional(),
        state: z.enum(['working', 'blocked', 'idle', 'done']).optional(),
        reason: z.string().optional(),
      }),
  }),
} as const;
