import { execFile } from 'node:child_process';
import type { ResourceSample } from '../../console/ports.js';
import type { ResourceSampler } from './console-data.js';

const UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** `12.5MiB` → bytes; undefined when unreadable. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*([\d.]+)\s*([a-zA-Z]+)\s*$/.exec(text);
  if (!match) return undefined;
  const factor = UNITS[match[2]!.toLowerCase()];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

/** Parses `docker stats --no-stream --format '{{json .}}'` output, keyed by the (short) container id. */
export function parseDockerStats(output: string): Map<string, ResourceSample> {
  const samples = new Map<string, ResourceSample>();
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const row = JSON.parse(line) as { ID?: string; CPUPerc?: string; MemUsage?: string };
      const cpu = Number.parseFloat((row.CPUPerc ?? '').replace('%', ''));
      const memory = parseSize((row.MemUsage ?? '').split('/')[0] ?? '');
      if (row.ID && !Number.isNaN(cpu) && memory !== undefined)
        samples.set(row.ID, { cpuPercent: cpu, memoryBytes: memory });
    } catch {
      // A line that is not JSON (a warning) says nothing about resources.
    }
  }
  return samples;
}

/**
 * Samples through the docker CLI (one `docker stats --no-stream` for all containers), so the console
 * process needs no Docker client of its own. Moves to ContainerRuntime once the port has stats.
 */
export function dockerStatsSampler(options: {
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
}): ResourceSampler {
  return {
    sample(containerIds) {
      return new Promise((resolve) => {
        execFile(
          'docker',
          ['stats', '--no-stream', '--format', '{{json .}}', ...containerIds],
          { env: options.env, timeout: options.timeoutMs ?? 4_000, maxBuffer: 4 * 1024 * 1024 },
          (error, stdout) => {
            // A missing container makes docker exit non-zero but still print the others.
            const parsed = parseDockerStats(typeof stdout === 'string' ? stdout : '');
            if (error && parsed.size === 0) {
              resolve(new Map());
              return;
            }
            const byFullId = new Map<string, ResourceSample>();
            for (const id of containerIds) {
              const sample = parsed.get(id) ?? parsed.get(id.slice(0, 12));
              if (sample) byFullId.set(id, sample);
            }
            resolve(byFullId);
          },
        );
      });
    },
  };
}
