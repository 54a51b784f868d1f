import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VERSION, globalConfigSchema } from '../../../src/config/config-schema.js';
import { migrateTable } from '../../../src/config/migrations.js';
import type { FileKind } from '../../../src/config/migrations.js';
import { parseToml, stringifyToml } from '../../../src/config/toml.js';
import { WORKSPACE_VERSION, workspaceSchema } from '../../../src/config/workspace-schema.js';
import { isJackinError } from '../../../src/kernel/errors.js';
import { restampManifest } from '../../../src/roles/manifest-migrate.js';
import { MANIFEST_VERSION, MANIFEST_VERSIONS } from '../../../src/roles/manifest-schema.js';

const dir = fileURLToPath(new URL('../../fixtures/config/migrations/', import.meta.url));
const inputs = readdirSync(dir).filter((f) => f.endsWith('.toml') && !f.endsWith('.expected.toml'));

function migrateFile(kind: FileKind, text: string, file: string): string {
  const { table } = migrateTable(kind, parseToml(text, file), file);
  const schema = kind === 'config' ? globalConfigSchema : workspaceSchema;
  return stringifyToml(schema.parse(table));
}

describe('config and workspace migrations (golden)', () => {
  it('has a fixture for every kind', () => {
    expect(inputs.some((f) => f.startsWith('config-'))).toBe(true);
    expect(inputs.some((f) => f.startsWith('workspace-'))).toBe(true);
  });

  for (const input of inputs) {
    const kind: FileKind = input.startsWith('config-') ? 'config' : 'workspace';
    it(`${input} migrates to the golden file, and migrating again changes nothing`, () => {
      const text = readFileSync(join(dir, input), 'utf8');
      const out = migrateFile(kind, text, input);
      const golden = join(dir, input.replace(/\.toml$/, '.expected.toml'));
      if (process.env.UPDATE_GOLDEN === '1' || !existsSync(golden)) writeFileSync(golden, out);
      expect(out).toBe(readFileSync(golden, 'utf8'));
      expect(out).toContain(`version = "${kind === 'config' ? CONFIG_VERSION : WORKSPACE_VERSION}"`);
      // idempotence: a migrated file is current, and migrating it is the identity
      const again = migrateTable(kind, parseToml(out, input), input);
      expect(again.migrated).toBe(false);
      expect(migrateFile(kind, out, input)).toBe(out);
    });
  }

  it('moves a file-level op_account onto every op reference (v1alpha5)', () => {
    const text = readFileSync(join(dir, 'workspace-legacy.toml'), 'utf8');
    const { table } = migrateTable('workspace', parseToml(text, 'w.toml'), 'w.toml');
    expect(table.op_account).toBeUndefined();
    expect((table.env as Record<string, unknown>).DB_URL).toEqual({
      op: 'op://Dev/db/url',
      account: 'Personal',
    });
    expect((table.env as Record<string, unknown>).PLAIN).toBe('x');
    expect((table.mounts as { isolation: string }[])[0]?.isolation).toBe('shared');
  });

  it('refuses a version newer than this jackin, and an unknown one', () => {
    for (const [version, pattern] of [
      ['v1alpha99', /newer than this jackin/],
      ['v7', /unknown version/],
    ] as const) {
      try {
        migrateTable('config', { version }, 'config.toml');
        expect.unreachable();
      } catch (error) {
        expect(isJackinError(error) && error.exitCode).toBe(2);
        expect((error as Error).message).toMatch(pattern);
      }
    }
  });
});

describe('manifest migrations (restamp)', () => {
  for (const version of MANIFEST_VERSIONS) {
    it(`${version} restamps to ${MANIFEST_VERSION} keeping every other byte, idempotently`, () => {
      const text = `# my role\nversion = "${version}"   # stamp\ndockerfile = "Dockerfile"\n\n[claude]\nmodel = "sonnet"\n`;
      const once = restampManifest(text);
      expect(once).toBe(text.replace(`"${version}"`, `"${MANIFEST_VERSION}"`));
      expect(restampManifest(once)).toBe(once);
    });
  }

  it('adds a version line to an unstamped manifest', () => {
    const once = restampManifest('dockerfile = "Dockerfile"\n');
    expect(once).toBe(`version = "${MANIFEST_VERSION}"\ndockerfile = "Dockerfile"\n`);
    expect(restampManifest(once)).toBe(once);
  });
});
