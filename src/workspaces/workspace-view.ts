import type { Workspace } from '../config/workspace-schema.js';
import { safeView } from '../config/safe-view.js';
import type { MountRequest } from './mount-plan.js';

/** The mounts of a saved workspace as plan requests (expanded, not yet canonical). */
export function workspaceMountRequests(ws: Workspace): MountRequest[] {
  return ws.mounts.map((m) => ({
    src: m.src,
    dst: m.dst,
    readonly: m.readonly,
    isolation: m.isolation,
    origin: 'workspace' as const,
  }));
}

/** The `--json` shape of a workspace: its fields, env values shown only as sources. */
export function workspaceToJson(name: string, ws: Workspace): Record<string, unknown> {
  const view = safeView(ws) as Record<string, unknown>;
  return {
    name,
    ...view,
    mounts: ws.mounts.map((m) => ({ src: m.src, dst: m.dst, readonly: m.readonly, isolation: m.isolation })),
  };
}
