import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUTH_MODES } from '../../src/config/runtimes.js';
import { MANIFEST_VERSION } from '../../src/roles/manifest-schema.js';
import { AUTH_MODE_NAMES } from '../../src/cli/commands/config-auth.js';
import { CURRENT_MANIFEST_VERSION } from '../../src/cli/commands/role-migrate.js';
import { staticGraph as graphOf } from '../helpers/static-graph.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

const staticGraph = (entry: string): ReturnType<typeof graphOf> => graphOf(SRC, entry);

describe('CLI startup stays lazy', () => {
  // `jackin --version`, `--help` and flag errors load only this graph; every command's engine,
  // Docker client, SQLite, the event catalog, Ink and Octokit are imported inside its action.
  it('the entry point and every command registration load no package but commander', () => {
    const { packages } = staticGraph('cli/main.ts');
    const extra = [...packages].filter(([name]) => name !== 'commander');
    expect(extra.map(([name, via]) => `${name} (via ${via})`)).toEqual([]);
  });

  it('nothing under src/app (the composition root) is imported statically by the CLI', () => {
    const { files } = staticGraph('cli/main.ts');
    expect(files.filter((f) => f.startsWith('app/'))).toEqual([]);
  });

  it('the instance deps load no image builder, agent adapter or doctor until a launch uses them', () => {
    const { files } = staticGraph('app/instances.ts');
    expect(
      files.filter((f) => /^(images\/image-service|agents\/|app\/images|app\/doctor-deps)/.test(f)),
    ).toEqual([]);
  });

  it('constants spelled out for registration equal their sources', () => {
    expect(AUTH_MODE_NAMES).toEqual(AUTH_MODES);
    expect(CURRENT_MANIFEST_VERSION).toBe(MANIFEST_VERSION);
  });
});
