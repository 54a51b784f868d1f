import type { InstanceRow } from '../../projections/instances.js';
import { renderTable } from '../table.js';

/** Seconds since the instance's container started, while it runs. */
function uptimeSeconds(row: InstanceRow, now: Date): number | null {
  if (row.state !== 'running' || !row.started_at) return null;
  return Math.max(0, Math.round((now.getTime() - Date.parse(row.started_at)) / 1000));
}

/** One instance as `--json` prints it. */
export function instanceJson(row: InstanceRow, now: Date): Record<string, unknown> {
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
  };
}

function duration(seconds: number | null): string {
  if (seconds === null) return '-';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((seconds % 3600) / 60)}m`;
}

export function renderInstances(rows: readonly InstanceRow[], now: Date): string {
  if (rows.length === 0) return 'no instances (start one with `jackin load`)';
  return renderTable(
    ['ID', 'NAME', 'ROLE', 'WORKSPACE', 'RUNTIME', 'STATE', 'AGENT', 'UPTIME'],
    rows.map((r) => [
      r.instance_id,
      r.name,
      r.role,
      r.workspace,
      r.runtime,
      r.state + (r.failure && r.state !== 'running' ? ` (${r.failure.slice(0, 60)})` : ''),
      r.agent_status ?? '-',
      duration(uptimeSeconds(r, now)),
    ]),
  );
}
