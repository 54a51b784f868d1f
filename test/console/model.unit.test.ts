import { describe, expect, it } from 'vitest';
import { parseDockerStats, parseSize } from '../../src/app/console/docker-stats.js';
import { fleetColumns, fleetHeaderText, fleetRowText } from '../../src/console/model/fleet-columns.js';
import { groupByWorkspace, moveSelection, visibleWindow } from '../../src/console/model/fleet-groups.js';
import { cell, formatBytes, formatCpu, formatDuration } from '../../src/console/model/format.js';
import { rollUp, statusBadge } from '../../src/console/model/status.js';
import type { FleetInstance } from '../../src/console/ports.js';
import { demoFleetEvents, fakeData, T0 } from './fixtures.js';

async function demo(): Promise<FleetInstance[]> {
  return [...(await fakeData(demoFleetEvents()).snapshot()).instances];
}

describe('status', () => {
  it('rolls up blocked > done > working > idle > unknown', () => {
    expect(rollUp(['idle', 'working', 'done'])).toBe('done');
    expect(rollUp(['idle', 'blocked', 'done'])).toBe('blocked');
    expect(rollUp(['unknown', 'idle'])).toBe('idle');
    expect(rollUp([])).toBe('unknown');
  });

  it('gives every status a distinct symbol and word; blocked and unseen done stand out', async () => {
    const [a1, a2, b1] = await demo();
    expect(statusBadge(a2!, false)).toMatchObject({ symbol: '!', label: 'BLOCKED', standsOut: true });
    expect(statusBadge(b1!, true)).toMatchObject({ symbol: '*', label: 'DONE', standsOut: true });
    expect(statusBadge(b1!, false)).toMatchObject({ label: 'done', standsOut: false });
    expect(statusBadge(a1!, false)).toMatchObject({ symbol: '~', label: 'working', standsOut: false });
    expect(statusBadge({ ...a1!, state: 'failed' }, false)).toMatchObject({
      symbol: 'x',
      label: 'failed',
      tone: 'danger',
    });
  });
});

describe('grouping and windows', () => {
  it('groups by workspace alphabetically with blocked/done counts of running agents', async () => {
    const groups = groupByWorkspace(await demo(), { showEnded: false });
    expect(
      groups.map((g) => [g.workspace, g.instances.map((i) => i.id), g.rollUp, g.blocked, g.done]),
    ).toEqual([
      ['alpha', ['a1', 'a2'], 'blocked', 1, 0],
      ['beta', ['b1', 'b2'], 'done', 0, 1],
    ]);
  });

  it('keeps the focus inside the window', () => {
    expect(visibleWindow(5, 4, 10)).toEqual({ start: 0, end: 5 });
    expect(visibleWindow(100, 0, 10)).toEqual({ start: 0, end: 10 });
    expect(visibleWindow(100, 50, 10)).toEqual({ start: 45, end: 55 });
    expect(visibleWindow(100, 99, 10)).toEqual({ start: 90, end: 100 });
  });

  it('moves the selection clamped, starting from the first', () => {
    expect(moveSelection(['a', 'b'], null, 1)).toBe('a');
    expect(moveSelection(['a', 'b'], 'gone', 1)).toBe('a');
    expect(moveSelection(['a', 'b'], 'a', 5)).toBe('b');
    expect(moveSelection([], 'a', 1)).toBeNull();
  });
});

describe('formatting', () => {
  it('pads and truncates to exact widths', () => {
    expect(cell('abc', 5)).toBe('abc  ');
    expect(cell('abc', 5, 'right')).toBe('  abc');
    expect(cell('abcdef', 4)).toBe('abc…');
  });

  it('formats durations, CPU and memory compactly', () => {
    expect(formatDuration(45_000)).toBe('45s');
    expect(formatDuration(12 * 60_000)).toBe('12m');
    expect(formatDuration(3 * 3_600_000 + 4 * 60_000)).toBe('3h4m');
    expect(formatDuration(50 * 3_600_000)).toBe('2d2h');
    expect(formatCpu(3.14)).toBe('3.1%');
    expect(formatCpu(250)).toBe('250%');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300M');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.5G');
    expect(formatBytes(undefined)).toBe('-');
  });

  it('builds fleet rows exactly as wide as the terminal columns', async () => {
    const [a1] = await demo();
    for (const width of [80, 100, 160]) {
      const columns = fleetColumns(width);
      const row = fleetRowText(a1!, statusBadge(a1!, false), {
        columns,
        selected: true,
        resources: { cpuPercent: 5, memoryBytes: 1024 },
        now: T0 + 90_000,
      });
      expect(row.length).toBe(width);
      expect(fleetHeaderText(columns).length).toBe(width);
    }
  });
});

describe('docker stats', () => {
  it('parses docker stats JSON lines into CPU and bytes', () => {
    const output = [
      '{"ID":"0123456789ab","CPUPerc":"12.50%","MemUsage":"300MiB / 1.944GiB"}',
      'WARNING: something',
      '{"ID":"bbbbbbbbbbbb","CPUPerc":"0.00%","MemUsage":"1.5GiB / 2GiB"}',
    ].join('\n');
    const samples = parseDockerStats(output);
    expect(samples.get('0123456789ab')).toEqual({ cpuPercent: 12.5, memoryBytes: 300 * 1024 ** 2 });
    expect(samples.get('bbbbbbbbbbbb')?.memoryBytes).toBe(1.5 * 1024 ** 3);
    expect(parseSize('12kB')).toBe(12_000);
    expect(parseSize('n/a')).toBeUndefined();
  });
});
