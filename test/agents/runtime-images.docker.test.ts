import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imageRuntimeSpec } from '../../src/agents/image-spec.js';
import { interactiveArgv, resolveRuntime } from '../../src/agents/registry.js';
import { assetDir } from '../../src/images/assets.js';
import type { ImageOutcome } from '../../src/images/image-service.js';
import { LABEL } from '../../src/runtime/labels.js';
import { docker, imageHarness, removeByLabel, sharedImages, testRunLabel } from '../helpers/images.js';

// One derived image with the four npm-installed runtimes, built once for the whole file (minutes
// on a cold cache; later runs reuse it through the recipe hash).
const RUNTIMES = ['claude', 'codex', 'amp', 'opencode'] as const;
const run = testRunLabel();
const identity = { uid: process.getuid!(), gid: process.getgid!() };
let image: ImageOutcome;

beforeAll(async () => {
  const { construct } = await sharedImages();
  const { service } = imageHarness();
  image = await service.ensureDerived(
    {
      roleDir: join(assetDir('roles'), 'agent-smith'),
      roleKey: 'agent-runtimes-test',
      identity,
      runtimes: RUNTIMES.map((name) => imageRuntimeSpec(resolveRuntime(name, {}))),
    },
    construct,
  );
});

afterEach(() => {
  removeByLabel(`${run.key}=${run.value}`);
});

afterAll(() => {
  // The image is kept on purpose: the next run reuses it (recipe hash) instead of reinstalling.
});

function inImage(script: string, env: Record<string, string> = {}): string {
  const envArgs = Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  return docker([
    'run',
    '--rm',
    '--label',
    `${run.key}=${run.value}`,
    ...envArgs,
    image.tag,
    'sh',
    '-c',
    script,
  ]);
}

describe('a derived image with runtimes from the npm registry', () => {
  it('records the pinned versions in its labels', () => {
    const labels = JSON.parse(
      docker(['image', 'inspect', image.tag, '--format', '{{json .Config.Labels}}']),
    ) as Record<string, string>;
    const specs = RUNTIMES.map((name) => imageRuntimeSpec(resolveRuntime(name, {})));
    expect(labels[LABEL.runtimes]).toBe(specs.map((s) => `${s.name}@${s.version}`).join(','));
    expect(labels[LABEL.nodeVersion]).toMatch(/^22\./);
  });

  it('runs `<runtime> --version` for each runtime, on Node 22', () => {
    const out = inImage(
      'node --version; for r in claude codex amp opencode; do echo "$r: $($r --version 2>&1 | head -1)"; done',
    );
    expect(out).toMatch(/^v22\./m);
    expect(out).toMatch(/^claude: 2\.\d+\.\d+/m);
    expect(out).toMatch(/^codex: codex-cli 0\.\d+/m);
    expect(out).toMatch(/^amp: \S+/m);
    expect(out).not.toMatch(/^amp: .*(not found|error)/im);
    expect(out).toMatch(/^opencode: 1\.\d+\.\d+/m);
  });

  for (const name of RUNTIMES) {
    it(`starts ${name} in tmux with its full-speed argv (pane process command line)`, () => {
      const container = docker([
        'run',
        '-d',
        '--label',
        `${run.key}=${run.value}`,
        '-e',
        `JACKIN_RUNTIME=${name}`,
        image.tag,
      ]);
      const expected = interactiveArgv(resolveRuntime(name, {}));
      let args = '';
      for (let i = 0; i < 40 && !args.includes(expected.at(-1)!); i += 1) {
        args = docker([
          'exec',
          container,
          'sh',
          '-c',
          'pid=$(tmux list-panes -t main -F "#{pane_pid}" 2>/dev/null) && tr "\\0" " " < /proc/$pid/cmdline || true',
        ]);
        if (!args.includes(expected.at(-1)!)) docker(['exec', container, 'sleep', '0.5']);
      }
      for (const arg of expected.slice(1)) expect(args).toContain(arg);
      if (name === 'opencode') {
        const env = docker([
          'exec',
          container,
          'sh',
          '-c',
          'pid=$(tmux list-panes -t main -F "#{pane_pid}"); tr "\\0" "\\n" < /proc/$pid/environ',
        ]);
        expect(env).toContain('OPENCODE_CONFIG_CONTENT={"permission":"allow"}');
      }
    });
  }
});
