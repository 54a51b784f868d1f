import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyPane } from '../../src/agents/status/classifier.js';
import type { PaneSnapshot } from '../../src/agents/status/classifier.js';
import { rulePackDirs, shippedPackDir } from '../../src/agents/status/packs-dir.js';
import { loadRulePacks, parseRulePack } from '../../src/agents/status/rule-pack.js';
import { StatusTracker } from '../../src/agents/status/status-tracker.js';
import { TagTracker } from '../../src/agents/status/tags.js';
import { watchAgentStatus } from '../../src/agents/status/watcher.js';
import type { AgentStatusChangedData, AgentTagEmittedData } from '../../src/agents/status/status-tracker.js';
import { validateNewEvent } from '../../src/events/codec.js';
import { scanAgentTags } from '../../src/kernel/agent-tags.js';
import { JackinError } from '../../src/kernel/errors.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/screens/', import.meta.url));
const packs = loadRulePacks([shippedPackDir()]);
const screen = (runtime: string, file: string): string => readFileSync(join(FIXTURES, runtime, file), 'utf8');

describe('rule packs classify captured and synthetic screens', () => {
  it('ship a pack for every built-in runtime', () => {
    expect([...packs.keys()].sort()).toEqual(['amp', 'claude', 'codex', 'kimi', 'opencode']);
  });

  const cases = readdirSync(FIXTURES).flatMap((runtime) =>
    readdirSync(join(FIXTURES, runtime)).map((file) => ({ runtime, file })),
  );
  for (const { runtime, file } of cases) {
    // File name = expected state; `false_positive-*` screens quote prompts but are idle.
    const prefix = file.split('-')[0]!;
    const expected = prefix === 'false_positive' ? 'idle' : prefix;
    it(`${runtime}/${file} → ${expected}`, () => {
      const result = classifyPane({ screen: screen(runtime, file), foreground: runtime }, packs.get(runtime));
      expect(result.state).toBe(expected);
      if (expected !== 'unknown') expect(result.source).toBe('visible_screen');
    });
  }

  it('has real captures (not only synthetic screens) for the runtimes that run offline', () => {
    const real = cases.filter((c) => c.file.includes('.real.')).map((c) => c.runtime);
    expect(new Set(real)).toEqual(new Set(['claude', 'codex', 'amp', 'opencode']));
  });

  it('lets an exited pane outrank the screen (done); a script runtime running as sh is not mistaken for it', () => {
    const working = screen('claude', 'working-thinking.txt');
    expect(classifyPane({ screen: working, exited: true }, packs.get('claude'))).toMatchObject({
      state: 'done',
      source: 'foreground_process',
    });
    expect(classifyPane({ screen: working, foreground: 'sh' }, packs.get('claude')).state).toBe('working');
    expect(classifyPane({ screen: working, foreground: 'claude' }, undefined).state).toBe('unknown');
  });

  it('strips escape sequences before matching', () => {
    const colored = '\u001b[1m\u001b[38;5;174m✻ Pondering…\u001b[0m (3s · esc to interrupt)\n';
    expect(classifyPane({ screen: colored }, packs.get('claude')).state).toBe('working');
  });

  it('rejects a bad pack naming the file and key; an operator pack overrides the shipped one', () => {
    expect(() =>
      parseRulePack(
        'schema_version = 1\nruntime = "x"\n[[rules]]\nid = "r"\nstate = "sleepy"\nany = ["a"]\n',
        'x.toml',
      ),
    ).toThrow(/x\.toml:\d+: rules\[0\]\.state/);
    expect(() =>
      parseRulePack('schema_version = 1\nruntime = "x"\n[[rules]]\nid = "r"\nstate = "idle"\n', 'y.toml'),
    ).toThrow(JackinError);
    expect(rulePackDirs('/h').at(-1)).toBe('/h/agent-status/packs');
  });
});

describe('agent tags', () => {
  it('parse status, pr and issue tags; ignore malformed ones', () => {
    const text = [
      'done <jackin:pr url="https://github.com/acme/app/pull/7"/> and',
      "<jackin:issue url='https://github.com/acme/app/issues/3' />",
      '<jackin:status state="blocked" reason="needs a &quot;decision&quot;"/>',
      '<jackin:status state="sleeping"/> <jackin:pr url="javascript:alert(1)"/> <jackin:pr/>',
    ].join('\n');
    expect(scanAgentTags(text).map((t) => t.tag)).toEqual([
      { kind: 'pr', url: 'https://github.com/acme/app/pull/7' },
      { kind: 'issue', url: 'https://github.com/acme/app/issues/3' },
      { kind: 'status', state: 'blocked', reason: 'needs a "decision"' },
    ]);
    expect(scanAgentTags(text)[1]!.raw).toBe("<jackin:issue url='https://github.com/acme/app/issues/3' />");
  });

  it('are new once, though they stay on screen for many captures', () => {
    const tracker = new TagTracker();
    const tag = '<jackin:pr url="https://github.com/a/b/pull/1"/>';
    expect(tracker.fresh(`x\n${tag}`)).toHaveLength(1);
    expect(tracker.fresh(`x\n${tag}\ny`)).toHaveLength(0);
    expect(tracker.fresh(`${tag}\n${tag}`)).toHaveLength(1); // printed a second time
  });
});

function scripted(runtime: string, sequence: readonly [string, number][]): PaneSnapshot[] {
  return sequence.flatMap(([file, times]) =>
    Array.from({ length: times }, () => ({ screen: screen(runtime, file), foreground: runtime })),
  );
}

describe('status changes are debounced', () => {
  it('a scripted working → blocked → idle session yields exactly those three events, in order', async () => {
    const snapshots = scripted('claude', [
      ['working-thinking.txt', 4],
      ['blocked-permission.txt', 3],
      ['idle-prompt.txt', 5],
    ]);
    const statuses: AgentStatusChangedData[] = [];
    const controller = new AbortController();
    let tick = 0;
    const end = await watchAgentStatus(
      { instanceId: 'i1', session: 'main', pack: packs.get('claude') },
      {
        capture: () => {
          const next = snapshots[tick++];
          if (!next) {
            controller.abort();
            return Promise.reject(new Error('pane gone'));
          }
          return Promise.resolve(next);
        },
        sink: {
          statusChanged: (data) => Promise.resolve(void statuses.push(data)),
          tagEmitted: () => Promise.resolve(),
        },
        now: () => tick * 1000,
        sleep: () => Promise.resolve(),
      },
      controller.signal,
    );
    expect(end).toBe('aborted');
    expect(statuses.map((s) => s.state)).toEqual(['working', 'blocked', 'idle']);
    expect(statuses[1]).toMatchObject({
      instanceId: 'i1',
      session: 'main',
      source: 'visible_screen',
      reason: 'permission prompt',
    });
    // Each payload is a valid AgentStatusChanged event.
    for (const data of statuses)
      expect(() => validateNewEvent({ type: 'AgentStatusChanged', data })).not.toThrow();
  });

  it('ends at the first failed capture once the container is gone, and retries while it runs', async () => {
    const run = async (gone: boolean[]): Promise<{ end: string; captures: number }> => {
      let captures = 0;
      const end = await watchAgentStatus(
        { instanceId: 'i1', session: 'main', pack: packs.get('claude'), maxFailures: 3 },
        {
          capture: () => (captures++, Promise.reject(new Error('exec failed'))),
          sink: { statusChanged: () => Promise.resolve(), tagEmitted: () => Promise.resolve() },
          now: () => 0,
          sleep: () => Promise.resolve(),
          containerGone: () => Promise.resolve(gone.shift() ?? false),
        },
        new AbortController().signal,
      );
      return { end, captures };
    };
    expect(await run([true])).toEqual({ end: 'container_gone', captures: 1 });
    // a running container whose pane failed for a moment: retried up to maxFailures
    expect(await run([false, false, false])).toEqual({ end: 'capture_failed', captures: 3 });
    expect(await run([false, true])).toEqual({ end: 'container_gone', captures: 2 });
  });

  it('a screen flickering between working and idle every capture causes no event storm', () => {
    const tracker = new StatusTracker({ instanceId: 'i1', session: 'main', pack: packs.get('codex') });
    const working = { screen: screen('codex', 'working-exec.txt') };
    const idle = { screen: screen('codex', 'idle-prompt.txt') };
    const published = Array.from(
      { length: 40 },
      (_, i) => tracker.observe(i % 2 ? idle : working, i * 1000).status,
    ).filter(Boolean);
    expect(published.map((s) => s!.state)).toEqual([]);
    const steady = [0, 1, 2].map((i) => tracker.observe(working, 100_000 + i).status).filter(Boolean);
    expect(steady.map((s) => s!.state)).toEqual(['working']);
  });

  it('a status tag is reported at once and the screen cannot contradict it for a while', () => {
    const tracker = new StatusTracker({
      instanceId: 'i1',
      session: 'main',
      pack: packs.get('claude'),
      reportedTtlMs: 10_000,
    });
    const tagged = `${screen('claude', 'idle-prompt.txt')}\n<jackin:status state="blocked" reason="need a key"/>`;
    const first = tracker.observe({ screen: tagged }, 0);
    expect(first.status).toMatchObject({ state: 'blocked', source: 'reported', reason: 'need a key' });
    expect(first.tags).toEqual([
      { instanceId: 'i1', session: 'main', tag: 'status', state: 'blocked', reason: 'need a key' },
    ]);
    const tags: AgentTagEmittedData[] = [...first.tags];
    for (const tag of tags)
      expect(() => validateNewEvent({ type: 'AgentTagEmitted', data: tag })).not.toThrow();
    for (let t = 1; t < 5; t += 1)
      expect(tracker.observe({ screen: tagged }, t * 1000).status).toBeUndefined();
    const after = [11, 12, 13]
      .map((s) => tracker.observe({ screen: tagged }, s * 1000).status)
      .filter(Boolean);
    expect(after.map((s) => s!.state)).toEqual(['idle']);
  });
});
