import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { launchRequested } from '../helpers/instance-events.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

const homes: TempHome[] = [];
afterEach(() => {
  for (const home of homes.splice(0)) home.cleanup();
});

describe('jackin history', () => {
  it('prints one readable line per event and filters by instance, type and limit', async () => {
    const home = tempHome();
    homes.push(home);
    const app = testApp(home);
    const { store } = await app.eventLog();
    await store.append('instance-a1', [launchRequested('a1')], { expectedVersion: 'no_stream' });
    await store.append('instance-b2', [launchRequested('b2')], { expectedVersion: 'no_stream' });
    await store.append(
      'instance-a1',
      [
        {
          type: 'AgentStatusChanged',
          data: { instanceId: 'a1', state: 'blocked', reason: 'needs a decision' },
        },
      ],
      {
        expectedVersion: 1,
      },
    );
    await app.close();

    const all = runCli(['history'], home.env);
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z {2}#3 {2}instance-a1@2 {2}AgentStatusChanged {2}instanceId=a1 state=blocked reason="needs a decision"$/,
    );

    const one = JSON.parse(runCli(['history', 'a1', '--json'], home.env).stdout) as {
      events: { type: string }[];
    };
    expect(one.events.map((e) => e.type)).toEqual(['InstanceLaunchRequested', 'AgentStatusChanged']);
    const byName = JSON.parse(runCli(['history', 'jackin-b2', '--json'], home.env).stdout) as {
      events: { stream: string }[];
    };
    expect(byName.events.map((e) => e.stream)).toEqual(['instance-b2']);
    const typed = JSON.parse(
      runCli(['history', '--type', 'AgentStatusChanged', '--json'], home.env).stdout,
    ) as { events: unknown[] };
    expect(typed.events).toHaveLength(1);
    const limited = JSON.parse(runCli(['history', '--limit', '2', '--json'], home.env).stdout) as {
      events: { position: number }[];
    };
    expect(limited.events.map((e) => e.position)).toEqual([2, 3]);
    const future = JSON.parse(runCli(['history', '--since', '2999-01-01', '--json'], home.env).stdout) as {
      events: unknown[];
    };
    expect(future.events).toEqual([]);
  });

  it('--follow prints events appended by another process, and stops on SIGINT', async () => {
    const home = tempHome();
    homes.push(home);
    expect(runCli(['events', 'verify'], home.env).code).toBe(0);
    const follower = spawn(process.execPath, [BIN, 'history', '--follow'], {
      env: home.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    follower.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    await new Promise((resolve) => setTimeout(resolve, 700));
    const app = testApp(home);
    const { store } = await app.eventLog();
    await store.append('instance-f1', [launchRequested('f1')], { expectedVersion: 'no_stream' });
    await app.close();
    const deadline = Date.now() + 5000;
    while (!out.includes('InstanceLaunchRequested') && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(out).toMatch(/#1 {2}instance-f1@1 {2}InstanceLaunchRequested/);
    follower.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => follower.on('exit', (c) => resolve(c)));
    expect(code).toBe(0);
  });
});
