import type { InstanceRow } from '../../projections/instances.js';
import type { LinkRow } from '../../projections/links.js';
import { renderTable } from '../table.js';

/** Seconds since the instance's container started, while it runs. */
function uptimeSeconds(row: InstanceRow, now: Date): number | null {
  if (row.state !== 'running' || !row.started_at) return null;
  return Math.max(0, Math.round((now.getTime() - Date.parse(row.started_at)) / 1000));
}

/** What `jackin status` adds to the projection row: one resource sample and the linked issues/PRs. */
export interface InstanceExtras {
  readonly sample?: { readonly cpuPercent: number; readonly memoryBytes: number } | undefined;
  readonly links?: readonly Pick<LinkRow, 'repo' | 'number' | 'kind' | 'state' | 'url'>[];
}

/** One instance as `--json` prints it. */
export function instanceJson(
  row: InstanceRow,
  now: Date,
  extras: InstanceExtras = {},
): Record<string, unknown> {
  return {
    id: row.instance_id,
    name: row.name,
    state: row.state,
    role: row.role,
    workspace: row.workspace,
    runtime: row.runtime,
    agent_status: row.agent_status,
    container_id: row.container_id,
    sidecar_id: row.sidecar_id,
    network: row.network,
    image: row.image,
    exit_code: row.exit_code,
    failure: row.failure,
    created_at: row.created_at,
    started_at: row.started_at,
    uptime_s: uptimeSeconds(row, now),
    cpu_percent: extras.sample ? Math.round(extras.sample.cpuPercent * 100) / 100 : null,
    memory_bytes: extras.sample ? Math.round(extras.sample.memoryBytes) : null,
    links: (extras.links ?? []).map((l) => ({
      repo: l.repo,
      number: l.number,
      kind: l.kind,
      state: l.state,
      url: l.url,
    })),
  };
}

function memory(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)}GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(0)}MiB`;
  return `${(bytes / 1024).toFixed(0)}KiB`;
}

/** `owner/repo#12 pr merged`, comma separated. */
function linksText(links: InstanceExtras['links']): string {
  if (!links || links.length === 0) return '-';
  return links
    .map((l) => `${l.repo}#${l.number} ${l.kind === 'pull' ? 'pr' : 'issue'} ${l.state}`)
    .join(', ');
}

function duration(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

export function renderInstances(
  rows: readonly { readonly row: InstanceRow; readonly extras: InstanceExtras }[],
  now: Date,
): string {
  if (rows.length === 0) return 'no instances (start one with `jackin load`)';
  return renderTable(
    ['ID', 'NAME', 'ROLE', 'WORKSPACE', 'RUNTIME', 'STATE', 'AGENT', 'UPTIME', 'CPU', 'MEM', 'LINKS'],
    rows.map(({ row: r, extras }) => [
      r.instance_id,
      r.name,
      r.role,
      r.workspace,
      r.runtime,
      r.state + (r.failure && r.state !== 'running' ? ` (${r.failure.slice(0, 60)})` : ''),
      r.agent_status ?? '-',
      duration(uptimeSeconds(r, now)),
      extras.sample ? `${extras.sample.cpuPercent.toFixed(1)}%` : '-',
      extras.sample ? memory(extras.sample.memoryBytes) : '-',
      linksText(extras.links),
    ]),
  );
}
