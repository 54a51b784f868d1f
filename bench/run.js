// `npm run bench`: every benchmark in turn, each writing bench/results/<name>.json with ratios against
// the raw baseline it measures in the same run. `npm run bench -- events queue` runs a subset.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const ALL = ['events', 'images', 'launch', 'queue', 'console'];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : ALL;
const failed = [];
for (const name of names) {
  const script = new URL(`./${name}/run.js`, import.meta.url);
  if (!existsSync(script)) {
    process.stderr.write(`bench: no benchmark named '${name}' (have: ${ALL.join(', ')})\n`);
    failed.push(name);
    continue;
  }
  process.stderr.write(`\n==> bench/${name}\n`);
  const result = spawnSync(process.execPath, [script.pathname], { stdio: 'inherit' });
  if (result.status !== 0) failed.push(name);
}
if (failed.length) {
  process.stderr.write(`bench: failed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
} else {
  process.stderr.write(`\nbench: results in bench/results/{${names.join(',')}}.json\n`);
}
