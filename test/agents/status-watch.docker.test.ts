import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dockerExec, instanceFixture, parseInstance } from '../helpers/instances.js';
import type { InstanceFixture } from '../helpers/instances.js';

// The stub runtime's pane is replaced by a script that goes working → blocked → idle and prints a
// PR tag; the operator's own rule pack for `stub` classifies it. Nothing but the background
// watcher started by `load --detach` (whose command has long exited) can record what follows.
const SCRIPT = [
  'clear; echo "stub agent"; echo "* Working (1s - esc to interrupt)"; sleep 5',
  'clear; echo "Run rm -rf build?"; echo "> 1. Yes  2. No"; sleep 5',
  'clear; echo "<jackin:pr url=\\"https://github.com/acme/app/pull/9\\"/>"; echo "ready> "; sleep 600',
].join('\n');

const PACK = `
schema_version = 1
runtime = "stub"
[[rules]]
id = "stub-approval"
state = "blocked"
priority = 100
all = ["1. yes"]
[[rules]]
id = "stub-working"
state = "working"
priority = 80
any = ["esc to interrupt"]
[[rules]]
id = "stub-prompt"
state = "idle"
priority = 50
region = "bottom:2"
any = ["ready>"]
`;

let fx: InstanceFixture | undefined;
afterEach(() => fx?.cleanup());

interface StatusJson {
  instances: { id: string; agent_status: string | null }[];
}

describe('live agent status after load --detach', () => {
  it('a background watcher records working → blocked → idle and the PR tag; jackin status shows it', async () => {
    fx = instanceFixture('jackin-watch-');
    const home = fx.env.JACKIN_HOME ?? '';
    mkdirSync(join(home, 'agent-status', 'packs'), { recursive: true });
    writeFileSync(join(home, 'agent-status', 'packs', 'stub.toml'), PACK);
    const env = { ...fx.env, JACKIN_STATUS_INTERVAL_MS: '300' };
    const instance = parseInstance(fx.cli(['load', fx.role, fx.workspaceDir, '--detach', '--json'], { env }));

    const encoded = Buffer.from(SCRIPT).toString('base64');
    const respawn = dockerExec(
      instance.name,
      `echo ${encoded} | base64 -d > /tmp/agent.sh && tmux respawn-pane -k -t main 'sh /tmp/agent.sh'`,
    );
    expect(respawn.code, respawn.out).toBe(0);

    const statusOf = (): string | null | undefined => {
      const out = fx?.cli(['status', '--json'], { env }).stdout ?? '{}';
      return (JSON.parse(out) as StatusJson).instances.find((i) => i.id === instance.id)?.agent_status;
    };
    const seen: (string | null | undefined)[] = [];
    const deadline = Date.now() + 45_000;
    while (Date.now() < deadline) {
      const now = statusOf();
      if (seen.at(-1) !== now) seen.push(now);
      if (now === 'idle') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen).toContain('blocked');
    expect(seen.at(-1)).toBe('idle');
    await new Promise((r) => setTimeout(r, 1500)); // nothing more may follow

    const events = fx.events(instance.id);
    const statuses = events.filter((e) => e.type === 'AgentStatusChanged');
    expect(statuses.map((e) => e.data.state)).toEqual(['working', 'blocked', 'idle']);
    expect(statuses.every((e) => e.data.session === 'main')).toBe(true);
    const tags = events.filter((e) => e.type === 'AgentTagEmitted').map((e) => [e.data.tag, e.data.url]);
    expect(tags).toEqual([['pr', 'https://github.com/acme/app/pull/9']]);
    expect(fx.cli(['status'], { env }).stdout).toMatch(new RegExp(`${instance.id}.*running\\s+idle`));

    // The watcher ends by itself once the instance is gone.
    expect(fx.cli(['eject', instance.id], { env }).code).toBe(0);
  });
});
