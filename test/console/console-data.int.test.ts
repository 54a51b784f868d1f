import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleAdapters } from '../../src/app/console/index.js';
import type { ConsoleAdapters } from '../../src/app/console/index.js';
import type { App } from '../../src/app/app.js';
import { ConfigStore } from '../../src/config/config-store.js';
import type { TerminalHandoff } from '../../src/console/ports.js';
import { listInstances } from '../../src/projections/instances.js';
import { replayToMemory } from '../../src/projections/projector.js';
import { seedMixedHistory } from '../helpers/seed-log.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';
import { demoFleetEvents, status } from './fixtures.js';

const terminal: TerminalHandoff = { suspend: (work) => work() };
const noSamples = { sample: () => Promise.resolve(new Map()) };

let home: TempHome;
let app: App;
let writer: App;
let adapters: ConsoleAdapters;

async function appendAll(target: App, events: ReturnType<typeof demoFleetEvents>): Promise<void> {
  const { store } = await target.eventLog();
  for (const event of events) {
    const stream = `instance-${(event.data as { instanceId: string }).instanceId}`;
    await store.append(stream, [event], { expectedVersion: 'any' });
  }
}

beforeEach(async () => {
  home = tempHome('jackin-console-');
  app = testApp(home);
  writer = testApp(home);
  await appendAll(writer, demoFleetEvents());
  adapters = await createConsoleAdapters(app, { sampler: noSamples });
});

afterEach(async () => {
  adapters.close();
  await app.close();
  await writer.close();
  home.cleanup();
});

describe('console data over the SQLite log', () => {
  it('snapshots the instances projection at the head', async () => {
    const view = await adapters.data.snapshot();
    expect(view.position).toBe(16);
    expect(view.instances.map((i) => [i.id, i.workspace, i.state, i.agentStatus]).sort()).toEqual([
      ['a1', 'alpha', 'running', 'working'],
      ['a2', 'alpha', 'running', 'blocked'],
      ['b1', 'beta', 'running', 'done'],
      ['b2', 'beta', 'running', 'idle'],
    ]);
    expect(view.recordedAt).not.toBeNull();
  });

  it('follows appends from another connection by position, returning only touched rows', async () => {
    expect(await adapters.data.changesSince(16)).toBeUndefined();
    await appendAll(writer, [status('b2', 'blocked', 'question')]);
    const changes = await adapters.data.changesSince(16);
    expect(changes?.position).toBe(17);
    expect(changes?.instances.map((i) => [i.id, i.agentStatus, i.agentReason])).toEqual([
      ['b2', 'blocked', 'question'],
    ]);
    expect(changes?.history.map((h) => [h.position, h.streamId, h.type, h.summary])).toEqual([
      [17, 'instance-b2', 'AgentStatusChanged', 'state=blocked reason=question'],
    ]);
    expect(await adapters.data.changesSince(17)).toBeUndefined();
  });

  it('reads the history tail up to a position and for one stream', async () => {
    const tail = await adapters.data.history({ limit: 3 });
    expect(tail.map((e) => e.position)).toEqual([14, 15, 16]);
    const upTo = await adapters.data.history({ limit: 2, upTo: 8, streamIds: ['instance-a2'] });
    expect(upTo.map((e) => [e.position, e.type])).toEqual([
      [7, 'InstanceContainerStarted'],
      [8, 'AgentStatusChanged'],
    ]);
  });

  it('replays any position, forwards incrementally and backwards from scratch, equal to a full replay', async () => {
    await seedMixedHistory(writer, { instances: 40, seed: 7 });
    const { database, projector } = await app.eventLog();
    const head = (await adapters.data.snapshot()).position;
    for (const position of [10, 60, head, 25, 1, head - 3]) {
      const view = await adapters.data.replayAt(position);
      const memory = replayToMemory(database.sqlite, projector.projections, position);
      try {
        const expected = listInstances(memory).map((r) => [r.instance_id, r.state, r.agent_status]);
        expect(
          view.instances.map((i) => [i.id, i.state, i.agentStatus === 'unknown' ? null : i.agentStatus]),
        ).toEqual(expected);
        expect(view.position).toBe(position);
      } finally {
        memory.close();
      }
    }
  });

  it('offers the workspaces from the config files and explains a launch from them', async () => {
    const files = new ConfigStore(app.paths.configDir);
    await files.updateWorkspace('webapp', () => ({
      next: {
        version: 'v1alpha9',
        workdir: '/work/webapp',
        mounts: [{ src: home.dir, dst: '/work/webapp', readonly: false, isolation: 'shared' }],
        allowed_roles: ['agent-smith', 'the-architect'],
        default_role: 'the-architect',
        default_agent: 'codex',
      },
      result: undefined,
    }));
    const choices = await adapters.data.launchChoices();
    expect(choices.workspaces).toEqual([
      {
        name: 'webapp',
        roles: ['agent-smith', 'the-architect'],
        defaultRole: 'the-architect',
        defaultRuntime: 'codex',
      },
    ]);
    expect(choices.runtimes).toEqual(expect.arrayContaining(['claude', 'codex', 'amp', 'kimi', 'opencode']));
    const lines = await adapters.data.explain({
      workspace: 'webapp',
      role: 'agent-smith',
      runtime: 'claude',
    });
    expect(lines).toContain(`  ${home.dir} -> /work/webapp (rw, shared)`);
    expect(lines.join('\n')).toContain('private DinD sidecar over mutual TLS');
  });
});

describe('console actions', () => {
  it('eject records the intent in the instance stream, as the console', async () => {
    await adapters.actions(terminal).eject('a1');
    const { store } = await app.eventLog();
    const last = (await store.readStream('instance-a1')).at(-1);
    expect(last?.type).toBe('InstanceEjectRequested');
    expect(last?.metadata.actor).toBe('console');
    expect((await adapters.data.snapshot()).instances.find((i) => i.id === 'a1')?.state).toBe('ejecting');
  });

  it('eject of an unknown instance fails without writing anything', async () => {
    await expect(adapters.actions(terminal).eject('nope')).rejects.toThrow();
    expect((await adapters.data.snapshot()).position).toBe(16);
  });

  it('says plainly what is not available yet', async () => {
    const actions = adapters.actions(terminal);
    await expect(actions.reattach('a1')).rejects.toThrow(
      /attach is not available yet \(instance lifecycle, issue 5/,
    );
    await expect(actions.launch({ workspace: 'w', role: 'r', runtime: 'claude' })).rejects.toThrow(
      /not available yet/,
    );
    await expect(actions.openLink('file:///etc/passwd')).rejects.toThrow(/not a web link/);
  });
});
