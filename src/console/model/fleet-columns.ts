import type { FleetInstance, ResourceSample } from '../ports.js';
import { cell, formatBytes, formatCpu, formatUptime } from './format.js';
import type { StatusBadge } from './status.js';

export interface FleetColumns {
  readonly status: number;
  readonly name: number;
  readonly role: number;
  readonly runtime: number;
  readonly uptime: number;
  readonly cpu: number;
  readonly memory: number;
  readonly link: number;
}

const MARKER = 1;
const GAPS = 8;

/** Column widths for a terminal width; name and role share what the fixed columns leave. */
export function fleetColumns(width: number): FleetColumns {
  const fixed = { status: 11, runtime: 8, uptime: 6, cpu: 5, memory: 6, link: 12 };
  const rest = width - MARKER - GAPS - Object.values(fixed).reduce((a, b) => a + b, 0);
  const name = Math.max(6, Math.ceil(rest * 0.55));
  const role = Math.max(4, rest - name);
  return { ...fixed, name, role };
}

export function fleetHeaderText(columns: FleetColumns): string {
  return [
    ' '.repeat(MARKER),
    cell('STATUS', columns.status),
    cell('NAME', columns.name),
    cell('ROLE', columns.role),
    cell('RUNTIME', columns.runtime),
    cell('UP', columns.uptime, 'right'),
    cell('CPU', columns.cpu, 'right'),
    cell('MEM', columns.memory, 'right'),
    cell('LINK', columns.link),
  ].join(' ');
}

/** `#12 open`, `PR#45 merged`: the number after the repository, which the row already implies. */
export function linkText(instance: FleetInstance): string {
  if (!instance.link) return '-';
  const { ref, kind, state } = instance.link;
  const number = ref.slice(ref.lastIndexOf('#'));
  return `${kind === 'pull' ? 'PR' : ''}${number} ${state}`;
}

/** One instance row: marker, badge, name, role, runtime, uptime, CPU, memory, link. */
export function fleetRowText(
  instance: FleetInstance,
  badge: StatusBadge,
  options: {
    readonly columns: FleetColumns;
    readonly selected: boolean;
    readonly resources: ResourceSample | undefined;
    readonly now: number;
  },
): string {
  const { columns, resources } = options;
  const running = instance.state === 'running';
  return [
    options.selected ? '>' : ' ',
    cell(`${badge.symbol} ${badge.label}`, columns.status),
    cell(instance.name, columns.name),
    cell(instance.role, columns.role),
    cell(instance.runtime, columns.runtime),
    cell(running ? formatUptime(instance.startedAt, options.now) : '-', columns.uptime, 'right'),
    cell(running ? formatCpu(resources?.cpuPercent) : '-', columns.cpu, 'right'),
    cell(running ? formatBytes(resources?.memoryBytes) : '-', columns.memory, 'right'),
    cell(linkText(instance), columns.link),
  ].join(' ');
}
