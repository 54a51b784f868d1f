import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { MIGRATION_COUNT } from '../../src/db/migration-count.js';
import { staticGraph } from '../helpers/static-graph.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('opening the event log stays cheap (ADR 0023)', () => {
  it('MIGRATION_COUNT equals the migrations list and the migration files', () => {
    const files = readdirSync(new URL('../../migrations/', import.meta.url)).filter((f) =>
      /^\d{4}-.+\.ts$/.test(f),
    );
    expect(migrations.length).toBe(MIGRATION_COUNT);
    expect(files.length).toBe(MIGRATION_COUNT);
    expect(migrations.map((m) => `${m.name}.ts`)).toEqual([...files].sort());
  });

  it('db/open and the app that opens the log load neither kysely nor the migrations up front', () => {
    for (const entry of ['src/db/open.ts', 'src/app/app.ts']) {
      const { files, packages } = staticGraph(ROOT, entry);
      expect(packages.has('kysely'), `${entry}: kysely via ${packages.get('kysely')}`).toBe(false);
      expect(files.filter((f) => f.startsWith('migrations/'))).toEqual([]);
    }
  });
});
