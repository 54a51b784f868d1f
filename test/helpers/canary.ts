import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The secrets guard (DESIGN.md: "No secret value ever enters the log or the logs"). Plant canaries
 * where secrets enter (env, config, payloads), run jackin, then scan every file it wrote.
 */
export interface Canary {
  /** What the canary stands in for, e.g. `ANTHROPIC_API_KEY`. */
  readonly label: string;
  readonly value: string;
}

export interface CanaryLeak {
  readonly canary: Canary;
  readonly file: string;
  readonly offset: number;
  /** 1-based line of the first byte, for text files (logs, JSONL exports). */
  readonly line: number;
  /** How the value was found: raw bytes, base64, or hex. */
  readonly encoding: 'utf8' | 'base64' | 'hex' | 'utf16le';
  readonly context: string;
}

/**
 * A random, recognisable secret value, unique per call. `prefix` gives it a real token's shape
 * (`ghp_`, `sk-ant-`) where a test needs format-based scrubbing to see it.
 */
export function plantCanary(label: string, prefix?: string): Canary {
  const slug = label.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return { label, value: `${prefix ?? `jackin-canary-${slug}-`}${randomBytes(16).toString('hex')}` };
}

/** Env vars holding canaries under the names agents' credentials use, for a CLI invocation. */
export function canaryEnv(canaries: readonly Canary[]): Record<string, string> {
  return Object.fromEntries(canaries.map((canary) => [canary.label, canary.value]));
}

/** The files jackin writes under a state dir: the database with its -wal/-shm, logs, exports, caches. */
export function stateFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  const info = statSync(root);
  if (info.isFile()) return [root];
  if (!info.isDirectory()) return [];
  return readdirSync(root, { withFileTypes: true }).flatMap((entry) => stateFiles(join(root, entry.name)));
}

function forms(canary: Canary): { encoding: CanaryLeak['encoding']; bytes: Buffer }[] {
  const raw = Buffer.from(canary.value, 'utf8');
  // Base64 of a value inside a longer string depends on its alignment: match the stable middle of each.
  const base64 = [0, 1, 2].map((shift) => ({
    encoding: 'base64' as const,
    bytes: Buffer.from(
      Buffer.concat([Buffer.alloc(shift), raw])
        .toString('base64')
        .slice(4, -4),
      'utf8',
    ),
  }));
  return [
    { encoding: 'utf8', bytes: raw },
    ...base64,
    { encoding: 'hex', bytes: Buffer.from(raw.toString('hex'), 'utf8') },
    { encoding: 'utf16le', bytes: Buffer.from(canary.value, 'utf16le') },
  ];
}

/** Every occurrence of any canary (raw, base64, hex or UTF-16) in the given files and directories. */
export function findCanaries(paths: readonly string[], canaries: readonly Canary[]): CanaryLeak[] {
  const leaks: CanaryLeak[] = [];
  for (const file of paths.flatMap(stateFiles)) {
    const content = readFileSync(file);
    for (const canary of canaries) {
      for (const { encoding, bytes } of forms(canary)) {
        for (let at = content.indexOf(bytes); at !== -1; at = content.indexOf(bytes, at + 1)) {
          const before = content.subarray(0, at);
          const line = before.toString('latin1').split('\n').length;
          const context = content
            .subarray(Math.max(0, at - 60), Math.min(content.length, at + bytes.length + 20))
            .toString('utf8')
            .replace(/[^\x20-\x7e]/g, '.');
          leaks.push({ canary, file, offset: at, line, encoding, context });
        }
      }
    }
  }
  return leaks;
}

/** Throws, naming each file, line, byte offset and the surrounding bytes, if any canary is found. */
export function assertNoCanaries(paths: readonly string[], canaries: readonly Canary[]): void {
  const scanned = paths.flatMap(stateFiles);
  if (scanned.length === 0) throw new Error(`secrets guard: nothing to scan under ${paths.join(', ')}`);
  const leaks = findCanaries(paths, canaries);
  if (leaks.length === 0) return;
  const lines = leaks.map(
    (leak) =>
      `  ${leak.canary.label} (${leak.encoding}) in ${leak.file}:${leak.line} at byte ${leak.offset}: …${leak.context}…`,
  );
  throw new Error(`secrets guard: ${leaks.length} canary value(s) written to disk:\n${lines.join('\n')}`);
}
