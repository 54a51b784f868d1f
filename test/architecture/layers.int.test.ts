import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Each planted file breaks one rule of .dependency-cruiser.cjs; the check must name that rule and file.
const VIOLATIONS: Record<string, { rule: string; source: string }> = {
  'src/kernel/zz-upward.ts': {
    rule: 'layer-kernel',
    source: "import type { EventType } from '../events/catalog/index.js';\nexport type X = EventType;\n",
  },
  'src/events/zz-upward.ts': {
    rule: 'layer-events',
    source: "import type { App } from '../app/app.js';\nexport type Y = App;\n",
  },
  'src/cli/zz-dockerode.ts': {
    rule: 'vendor-dockerode',
    source: "import Docker from 'dockerode';\nexport const d = Docker;\n",
  },
  'src/engine/zz-pqueue.ts': {
    rule: 'vendor-p-queue',
    source: "import PQueue from 'p-queue';\nexport const q = PQueue;\n",
  },
  'src/engine/zz-cycle-a.ts': {
    rule: 'no-circular',
    source: "import { b } from './zz-cycle-b.js';\nexport const a = (): unknown => b;\n",
  },
  'src/engine/zz-cycle-b.ts': {
    rule: 'no-circular',
    source: "import { a } from './zz-cycle-a.js';\nexport const b = (): unknown => a;\n",
  },
};

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

describe('the layer check (.dependency-cruiser.cjs)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jackin-layers-'));
    for (const entry of ['src', 'migrations', 'tsconfig.json', 'package.json', '.dependency-cruiser.cjs']) {
      cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    for (const [file, { source }] of Object.entries(VIOLATIONS)) writeFileSync(join(dir, file), source);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails and names every planted violation', () => {
    const result = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'),
        'src',
        '--config',
        '.dependency-cruiser.cjs',
      ],
      // CI may force colour (FORCE_COLOR); the assertions read plain text either way.
      { cwd: dir, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
    );
    expect(result.status).not.toBe(0);
    const stdout = stripAnsi(result.stdout);
    for (const [file, { rule }] of Object.entries(VIOLATIONS)) {
      if (file.endsWith('cycle-b.ts')) continue; // a cycle is reported once, from its first file
      expect(stdout, `${rule} should flag ${file}`).toMatch(
        new RegExp(`error ${rule}: ${file.replace('.', '\\.')}`),
      );
    }
  });
});
