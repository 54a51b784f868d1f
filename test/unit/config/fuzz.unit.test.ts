import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigStore } from '../../../src/config/config-store.js';
import { stringifyToml } from '../../../src/config/toml.js';
import { isJackinError } from '../../../src/kernel/errors.js';
import { validateRoleDir } from '../../../src/roles/manifest-validate.js';

/** A small seeded PRNG so a failure names a reproducible seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = [
  'version',
  'env',
  'roles',
  'docker',
  'mounts',
  'claude',
  'auth_forward',
  'src',
  'dst',
  'readonly',
  'workdir',
  'limits',
  'memory',
  'cpus',
  'op',
  'value',
  'x',
  'DOCKER_HOST',
  'isolation',
  'agents',
  'hooks',
  'depends_on',
  'interactive',
  'default',
];
const STRINGS = [
  'v1alpha10',
  'v1alpha9',
  'v1alpha1',
  'sync',
  'op://a/b/c',
  '$HOME',
  '/w',
  'w',
  '',
  '4g',
  'worktree',
  'env.X',
  '${env.X}',
  'Dockerfile',
  '../../etc/passwd',
];

function randomValue(rand: () => number, depth: number): unknown {
  const pick = rand();
  if (depth < 3 && pick < 0.3) return randomTable(rand, depth + 1);
  if (depth < 3 && pick < 0.4)
    return Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(rand, depth + 1));
  if (pick < 0.7) return STRINGS[Math.floor(rand() * STRINGS.length)];
  if (pick < 0.8) return Math.floor(rand() * 200) - 50;
  if (pick < 0.9) return rand() < 0.5;
  return rand() * 10;
}

function randomTable(rand: () => number, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const n = Math.floor(rand() * 5);
  for (let i = 0; i < n; i++) out[KEYS[Math.floor(rand() * KEYS.length)] ?? 'x'] = randomValue(rand, depth);
  return out;
}

/** Structured random TOML, then random byte-level damage to it. */
function randomToml(rand: () => number): string {
  let text: string;
  try {
    text = stringifyToml(randomTable(rand));
  } catch {
    text = 'x = 1\n';
  }
  const damage = Math.floor(rand() * 4);
  for (let i = 0; i < damage; i++) {
    const at = Math.floor(rand() * (text.length + 1));
    const junk =
      ['[', ']', '"', '=', '\n', '{', '}', '#', "'''", '\\u00', ',', '.', '\u0000'][
        Math.floor(rand() * 13)
      ] ?? '';
    text = rand() < 0.5 ? text.slice(0, at) + junk + text.slice(at) : text.slice(0, at) + text.slice(at + 1);
  }
  return text;
}

const dir = mkdtempSync(join(tmpdir(), 'jackin-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('random TOML never crashes the loaders with anything but a JackinError', () => {
  const seeds = Array.from({ length: 400 }, (_, i) => 1000 + i);
  it('config.toml and workspace files', async () => {
    const store = new ConfigStore(dir);
    for (const seed of seeds) {
      const text = randomToml(prng(seed));
      writeFileSync(join(dir, 'config.toml'), text);
      await store.loadConfig().catch((error: unknown) => {
        if (!isJackinError(error)) throw new Error(`seed ${seed}: non-JackinError ${String(error)}\n${text}`);
        expect(error.exitCode, `seed ${seed}`).toBe(2);
      });
      await writeWorkspaceAndLoad(store, text, seed);
    }
  });

  it('role manifests report problems instead of throwing', async () => {
    const roleDir = join(dir, 'role');
    for (const seed of seeds.slice(0, 150)) {
      const text = randomToml(prng(seed));
      rmSync(roleDir, { recursive: true, force: true });
      await import('node:fs/promises').then((fs) => fs.mkdir(roleDir, { recursive: true }));
      writeFileSync(join(roleDir, 'jackin.role.toml'), text);
      const result = await validateRoleDir(roleDir).catch((error: unknown) => {
        throw new Error(`seed ${seed}: validateRoleDir threw ${String(error)}\n${text}`);
      });
      expect(result.manifest === undefined || result.problems.every((p) => p.severity === 'warning')).toBe(
        true,
      );
    }
  });
});

async function writeWorkspaceAndLoad(store: ConfigStore, text: string, seed: number): Promise<void> {
  await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'workspaces'), { recursive: true }));
  writeFileSync(join(dir, 'workspaces', 'fz.toml'), text);
  await store.loadWorkspace('fz').catch((error: unknown) => {
    if (!isJackinError(error)) throw new Error(`seed ${seed}: non-JackinError ${String(error)}\n${text}`);
  });
}
