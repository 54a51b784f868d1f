import type { AgentStatus, FleetInstance } from '../ports.js';
import { rollUp } from './status.js';

/** Instances that no longer own anything; hidden unless the operator asks for them. */
const ENDED = new Set(['ejected', 'purged']);

export interface WorkspaceGroup {
  readonly workspace: string;
  readonly instances: readonly FleetInstance[];
  readonly rollUp: AgentStatus;
  readonly blocked: number;
  readonly done: number;
}

export type FleetRow =
  | { readonly kind: 'group'; readonly group: WorkspaceGroup }
  | { readonly kind: 'instance'; readonly instance: FleetInstance };

export function isEnded(instance: FleetInstance): boolean {
  return ENDED.has(instance.state);
}

/** Instances grouped by workspace (alphabetical), each group ordered by name. */
export function groupByWorkspace(
  instances: readonly FleetInstance[],
  options: { readonly showEnded: boolean },
): WorkspaceGroup[] {
  const byWorkspace = new Map<string, FleetInstance[]>();
  for (const instance of instances) {
    if (!options.showEnded && isEnded(instance)) continue;
    const list = byWorkspace.get(instance.workspace) ?? [];
    list.push(instance);
    byWorkspace.set(instance.workspace, list);
  }
  return [...byWorkspace.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([workspace, list]) => {
      const sorted = list.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      const live = sorted.filter((i) => i.state === 'running');
      return {
        workspace,
        instances: sorted,
        rollUp: rollUp(live.map((i) => i.agentStatus)),
        blocked: live.filter((i) => i.agentStatus === 'blocked').length,
        done: live.filter((i) => i.agentStatus === 'done').length,
      };
    });
}

/** Group headers interleaved with their instances, in display order. */
export function fleetRows(groups: readonly WorkspaceGroup[]): FleetRow[] {
  const rows: FleetRow[] = [];
  for (const group of groups) {
    rows.push({ kind: 'group', group });
    for (const instance of group.instances) rows.push({ kind: 'instance', instance });
  }
  return rows;
}

/** The instance ids the cursor walks through, in display order. */
export function selectableIds(groups: readonly WorkspaceGroup[]): string[] {
  return groups.flatMap((g) => g.instances.map((i) => i.id));
}

/**
 * The slice of `total` rows to show in `height` lines so that `focus` is visible, scrolling as
 * little as possible (the cursor sits mid-window once the list scrolls).
 */
export function visibleWindow(total: number, focus: number, height: number): { start: number; end: number } {
  if (height <= 0) return { start: 0, end: 0 };
  if (total <= height) return { start: 0, end: total };
  const half = Math.floor(height / 2);
  const start = Math.min(Math.max(0, focus - half), total - height);
  return { start, end: start + height };
}

/** Moves through `ids` from `current` by `delta`, clamped; the first id when nothing is selected. */
export function moveSelection(ids: readonly string[], current: string | null, delta: number): string | null {
  if (ids.length === 0) return null;
  const index = current === null ? -1 : ids.indexOf(current);
  if (index === -1) return ids[0] ?? null;
  const next = Math.min(ids.length - 1, Math.max(0, index + delta));
  return ids[next] ?? null;
}
