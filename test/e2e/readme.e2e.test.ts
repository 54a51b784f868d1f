import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { requireDocker } from '../helpers/docker.js';
import { runCli } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string): string => readFileSync(`${ROOT}${path}`, 'utf8');

/** The commands of the README's quick start: the first fenced block under "## Quick start". */
function quickStartCommands(): string[] {
  const readme = read('README.md');
  const section = readme.split(/^## /m).find((part) => part.startsWith('Quick start'));
  if (!section) throw new Error('README.md has no "## Quick start" section');
  const block = /```(?:sh|bash)?\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('the quick start has no code block');
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

function ciTestCommand(): string {
  const match = /^TEST_COMMAND="([^"]+)"$/m.exec(read('.ci/run'));
  if (!match?.[1]) throw new Error('.ci/run sets no TEST_COMMAND');
  return match[1];
}

function topLevelCommands(): string[] {
  const help = runCli(['--help'], { ...process.env, NO_COLOR: '1' });
  return [...help.stdout.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!);
}

const LOAD_PENDING = '`jackin load` is not implemented yet in this build';

describe('README quick start', () => {
  it('is exactly two commands: setup, then the tests', () => {
    const commands = quickStartCommands();
    expect(commands).toHaveLength(2);
    expect(commands[0]).toBe('scripts/setup');
    expect(commands[1]).toBe(ciTestCommand());
  });

  it('runs the same test command as .ci/run, and that command runs every check and tier', () => {
    const [, testCommand] = quickStartCommands();
    expect(testCommand).toBe('npm test');
    const ci = read('.ci/run');
    expect(ci).toMatch(/^\$TEST_COMMAND$/m);
    expect(ci.indexOf('npm ci')).toBeLessThan(ci.indexOf('\n$TEST_COMMAND'));
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    const test = scripts.test ?? '';
    for (const part of [
      'npm run typecheck',
      'npm run lint',
      'npm run depcruise',
      'npm run build',
      'vitest run',
    ]) {
      expect(test).toContain(part);
    }
    // No tier filter: `vitest run` alone runs unit, int, docker and e2e.
    expect(test).not.toMatch(/--project/);
    expect(read('README.md')).toContain('`npm test` is the one test command');
  });

  it('names scripts that exist and are executable', () => {
    for (const script of ['scripts/setup', '.ci/run']) {
      accessSync(`${ROOT}${script}`, constants.X_OK);
      expect(spawnSync('bash', ['-n', `${ROOT}${script}`]).status, `${script} has a syntax error`).toBe(0);
    }
    const help = spawnSync(`${ROOT}scripts/setup`, ['--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--yes');
  });

  it('says whether `jackin load` exists, truthfully', () => {
    const hasLoad = topLevelCommands().includes('load');
    const readme = read('README.md').replace(/\s+/g, ' ');
    const fix = hasLoad
      ? `\`jackin load\` exists now: remove the sentence "${LOAD_PENDING}…" from README.md's quick start`
      : `\`jackin load\` is missing: README.md's quick start must say "${LOAD_PENDING}"`;
    expect(readme.includes(LOAD_PENDING), fix).toBe(!hasLoad);
  });
});

describe('scripts/setup with a Docker engine', () => {
  let home: TempHome | undefined;
  afterEach(() => home?.cleanup());

  it('checks Docker, runs doctor, and launches (or says clearly that it cannot)', () => {
    requireDocker();
    home = tempHome();
    const hasLoad = topLevelCommands().includes('load');
    // Installing and building would race the rest of the suite (it uses node_modules and dist/).
    const args = [
      '--no-install',
      '--no-build',
      '--no-images',
      '--yes',
      '--',
      ...(hasLoad ? ['--dry-run'] : []),
    ];
    const result = spawnSync(`${ROOT}scripts/setup`, args, {
      cwd: ROOT,
      env: home.env,
      encoding: 'utf8',
      timeout: 300_000,
    });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(output).toContain('==> Docker engine');
    expect(output).toMatch(/engine \d+\.\d+/);
    expect(output).toMatch(/^docker\s+ok\s+engine/m); // doctor's table
    if (hasLoad) {
      expect(result.status, output).toBe(0);
    } else {
      expect(result.status, output).toBe(3);
      expect(result.stderr).toContain('setup: NOT LAUNCHED: this build of jackin has no `load` command yet.');
    }
  });
});
