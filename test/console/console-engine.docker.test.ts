import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerExec, instanceFixture, labelledObjects, parseInstance } from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';
import { TmuxPane, terminalEnv } from './tmux.js';

// The console against the real engine: two stub instances, a third launched from another shell,
// a blocked agent seen by the background watcher, and an eject that really removes the instance.
const PACK = `
schema_version = 1
runtime = "stub"
[[rules]]
id = "stub-approval"
state = "blocked"
priority = 100
all = ["1. yes"]
`;
const BLOCKED = 'clear; echo "Run rm -rf build?"; echo "> 1. Yes  2. No"; sleep 600';

let fx: InstanceFixture | undefined;
let pane: TmuxPane | undefined;
afterEach(() => {
  pane?.kill();
  fx?.cleanup();
});

describe('jackin console on a real engine', () => {
  it('shows the fleet, a load from another shell within a second, a blocked agent, and ejects for real', async () => {
    fx = instanceFixture('jackin-console-');
    const home = fx.env.JACKIN_HOME ?? '';
    mkdirSync(join(home, 'agent-status', 'packs'), { recursive: true });
    writeFileSync(join(home, 'agent-status', 'packs', 'stub.toml'), PACK);
    const env = { ...fx.env, JACKIN_STATUS_INTERVAL_MS: '300' };
    const load = (): ReturnType<typeof parseInstance> =>
      parseInstance(fx!.cli(['load', fx!.role, fx!.workspaceDir, '--detach', '--json'], { env }));
    const [first, second] = [load(), load()];
    const short = (name: string): string => name.slice(0, 11);

    pane = new TmuxPane(`jc${process.pid}`, { columns: 80, rows: 24 });
    pane.start(
      ['console'],
      terminalEnv(fx, {
        NO_COLOR: '1',
        JACKIN_STATUS_INTERVAL_MS: '300',
        ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
      }),
    );
    await pane.waitFor((s) => s.includes(short(first.name)) && s.includes(short(second.name)), 20_000);

    // A load from another shell shows up with no key pressed: the console follows the log (100 ms
    // poll). How fast is measured by bench/console (append_to_screen_ms), not asserted here.
    const third = load();
    await pane.waitFor((s) => s.includes(short(third.name)), 10_000, 10);

    // The first agent asks for approval: the watcher records it, the console shows it.
    expect(dockerExec(first.name, `tmux respawn-pane -k -t main '${BLOCKED}'`).code).toBe(0);
    const blocked = await pane.waitFor((s) => new RegExp(`BLOCKED\\s+${short(first.name)}`).test(s), 20_000);
    expect(blocked.screen).toMatch(/1 blocked/);

    // Eject the selected row after confirming: its containers, sidecar, network and volume are gone.
    pane.keys('e');
    const asked = await pane.waitFor((s) => /Eject (\S+)\?/.test(s));
    const name = /Eject (\S+)\?/.exec(asked.screen)?.[1] ?? '';
    const target = [first, second, third].find((i) => i.name === name);
    expect(target, asked.screen).toBeDefined();
    pane.keys('y');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !fx.events(target!.id).some((e) => e.type === 'InstanceEjected'))
      await new Promise((r) => setTimeout(r, 250));
    expect(labelledObjects(target!.id)).toEqual([]);
    expect(fx.events(target!.id).map((e) => e.type)).toContain('InstanceEjected');
    const after = await pane.waitFor(
      (s) => s.includes(`eject requested: ${target!.name}`) && s.includes('] 2 instances'),
      5_000,
    );
    expect(after.screen).not.toMatch(new RegExp(`(UNKNOWN|unknown|BLOCKED)\\s+${short(target!.name)}`));
    pane.keys('q');
    await pane.waitFor((s) => s.includes('EXIT=0'));
  });
});
