// Regenerates the generated docs from the built code: `npm run docs` (builds first).
// test/docs/generated-docs.unit.test.ts fails when the committed files are stale.
import { writeFileSync } from 'node:fs';
import { renderCliDoc } from '../dist/src/docs/cli-doc.js';
import { renderEventsDoc } from '../dist/src/docs/events-doc.js';
import { renderConfigDoc } from '../dist/src/docs/config-doc.js';

const outputs = {
  'docs/events.md': renderEventsDoc(),
  'docs/cli.md': renderCliDoc(),
  'docs/configuration.md': renderConfigDoc(),
};
for (const [path, text] of Object.entries(outputs)) {
  writeFileSync(new URL(`../${path}`, import.meta.url), text);
  process.stdout.write(`wrote ${path}\n`);
}
