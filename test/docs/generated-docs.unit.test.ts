import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCliDoc } from '../../src/docs/cli-doc.js';
import { renderEventsDoc } from '../../src/docs/events-doc.js';
import { renderConfigDoc } from '../../src/docs/config-doc.js';
import { catalog } from '../../src/events/catalog/index.js';

function committed(path: string): string {
  return readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
}

const STALE = 'is stale: run `npm run docs` and commit the result';

describe('generated docs', () => {
  it('docs/events.md matches the zod catalog', () => {
    expect(committed('docs/events.md') === renderEventsDoc(), `docs/events.md ${STALE}`).toBe(true);
  });

  it('docs/cli.md matches the commander program', () => {
    expect(committed('docs/cli.md') === renderCliDoc(), `docs/cli.md ${STALE}`).toBe(true);
  });

  it('docs/configuration.md matches the config and manifest schemas', () => {
    expect(committed('docs/configuration.md') === renderConfigDoc(), `docs/configuration.md ${STALE}`).toBe(
      true,
    );
    expect(renderConfigDoc()).toContain('| `extra_ca_certs` |');
  });

  it('documents every event type and its fields', () => {
    const doc = renderEventsDoc();
    for (const type of Object.keys(catalog)) expect(doc).toContain(`\n## ${type}\n`);
    expect(doc).toContain('| `mounts[].src` | string | yes |');
    expect(doc).toContain('| `state` | `working` \\| `blocked` \\| `idle` \\| `done` | yes |');
  });

  it('documents nested commands with their usage and options', () => {
    const doc = renderCliDoc();
    expect(doc).toContain('\n### jackin events verify\n');
    expect(doc).toContain('```\njackin doctor [options]\n```');
    expect(doc).toMatch(/\| `--json` \| print \{"doctor":/);
  });
});
