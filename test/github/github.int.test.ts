import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addLink } from '../../src/engine/task/links.js';
import { createGithubClient } from '../../src/github/client.js';
import { LinkPoller } from '../../src/workers/link-poller.js';
import { fleetFixture, githubImportArgs, readLog, startCli } from '../helpers/fleet.js';
import { GithubStandIn } from '../helpers/github-stand-in.js';
import type { StandInIssue } from '../helpers/github-stand-in.js';
import { runCli } from '../helpers/run-cli.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

let github: GithubStandIn;
let home: TempHome;
let repo: string;

beforeEach(async () => {
  github = new GithubStandIn();
  await github.start();
  home = tempHome('jackin-github-');
  repo = fleetFixture(home).repo;
  home.env.JACKIN_GITHUB_API_URL = github.url;
  home.env.GITHUB_TOKEN = 'stand-in-token';
});
afterEach(async () => {
  await github.stop();
  home.cleanup();
});

function issues(count: number, extra: Partial<StandInIssue> = {}): StandInIssue[] {
  return Array.from({ length: count }, (_, i) => ({
    number: i + 1,
    title: `Issue ${i + 1}`,
    body: `Body of ${i + 1}`,
    state: 'open' as const,
    labels: ['agent'],
    ...extra,
  }));
}

const importArgs = (...extra: string[]): string[] => githubImportArgs(repo, ...extra);

/** The stand-in lives in this process, so CLI calls that reach it must not block the event loop. */
const cli = (args: string[]) => startCli(args, home.env).done;

describe('jackin task import github (against a local GitHub stand-in)', () => {
  it('queues one task per matching issue (labels, state, PRs skipped) and is idempotent', async () => {
    github.repos.set('octo/app', [
      ...issues(3),
      { number: 4, title: 'no label', state: 'open' },
      { number: 5, title: 'closed', state: 'closed', labels: ['agent'] },
      { number: 6, title: 'a PR', state: 'open', labels: ['agent'], pull: { merged: false, headSha: 'abc' } },
    ]);
    const first = await cli(importArgs('--label', 'agent'));
    expect(first.code, first.stderr).toBe(0);
    const queued = (
      JSON.parse(first.stdout) as {
        tasks: { id: string; imported: boolean; source: unknown; prompt: string }[];
      }
    ).tasks;
    expect(queued.map((t) => [t.id, t.imported])).toEqual([
      ['gh-octo-app-3', true],
      ['gh-octo-app-2', true],
      ['gh-octo-app-1', true],
    ]);
    expect(queued[0]!.source).toEqual({ kind: 'github_issue', ref: 'octo/app#3' });
    expect(queued[0]!.prompt).toContain('Issue 3\nhttps://github.com/octo/app/issues/3\n\nBody of 3');
    expect(github.requests.every((r) => r.authorization === 'token stand-in-token')).toBe(true);

    const again = await cli(importArgs('--label', 'agent'));
    expect(again.code, again.stderr).toBe(0);
    expect(
      (JSON.parse(again.stdout) as { tasks: { imported: boolean }[] }).tasks.map((t) => t.imported),
    ).toEqual([false, false, false]);
    expect(readLog(home, ['TaskQueued'])).toHaveLength(3);
    expect(readLog(home, ['LinkAdded']).map((e) => e.stream)).toEqual([
      'link-octo/app#3',
      'link-octo/app#2',
      'link-octo/app#1',
    ]);
    const human = await cli(importArgs('--label', 'agent').filter((a) => a !== '--json'));
    expect(human.stdout).toMatch(/0 queued, 3 already queued/);
  });

  it('two imports at once still queue each issue exactly once; pagination follows Link headers', async () => {
    github.repos.set('octo/app', issues(130));
    const runs = [
      startCli(importArgs('--limit', '120'), home.env),
      startCli(importArgs('--limit', '120'), home.env),
    ];
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const queuedByEach = results.map(
      (r) =>
        (JSON.parse(r.stdout) as { tasks: { imported: boolean }[] }).tasks.filter((t) => t.imported).length,
    );
    expect(queuedByEach[0]! + queuedByEach[1]!).toBe(120);
    expect(readLog(home, ['TaskQueued'])).toHaveLength(120);
    expect(github.requests.some((r) => r.path.includes('page=2'))).toBe(true);
  });

  it('bad input: malformed repo (2), unknown repo (3), bad --state (2), JSON error shape', async () => {
    github.repos.set('octo/app', issues(1));
    const malformed = runCli(
      ['task', 'import', 'github', 'not-a-repo', '--workspace', repo, '--role', 'r'],
      home.env,
    );
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/^jackin: invalid repository 'not-a-repo'\nhint: use OWNER\/REPO/);
    const missing = await cli([
      'task',
      'import',
      'github',
      'octo/nope',
      '--workspace',
      repo,
      '--role',
      'r',
      '--json',
    ]);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stdout)).toMatchObject({ error: { code: 'not_found' } });
    expect(missing.stderr).toMatch(/GitHub has no repository octo\/nope, or the token cannot see it/);
    const state = runCli(importArgs('--state', 'weird'), home.env);
    expect(state.code).toBe(2);
    expect(readLog(home, ['TaskQueued'])).toHaveLength(0);
  });
});

describe('link poller (conditional requests, rate limits)', () => {
  async function poller(now: () => Date = () => new Date()) {
    const app = testApp(home);
    const { store } = await app.eventLog();
    const client = createGithubClient({ token: 't', baseUrl: github.url, now });
    return {
      app,
      store,
      poller: new LinkPoller({ db: store.db, store, github: client, clock: { now }, logger: app.logger }),
    };
  }

  it('records real changes only; 304 answers cost no events', async () => {
    github.repos.set('octo/app', [
      { number: 1, title: 'Bug', state: 'open' },
      { number: 2, title: 'Fix bug', state: 'open', pull: { merged: false, headSha: 'sha1' } },
    ]);
    github.checkRuns.set('sha1', [{ status: 'in_progress', conclusion: null }]);
    const { app, store, poller: p } = await poller();
    await addLink(
      store,
      { url: 'https://github.com/octo/app/issues/1', repo: 'octo/app', number: 1, kind: 'issue' },
      { via: 'import', taskId: 'gh-octo-app-1' },
    );
    await addLink(
      store,
      { url: 'https://github.com/octo/app/pull/2', repo: 'octo/app', number: 2, kind: 'pull' },
      { via: 'tag', taskId: 'gh-octo-app-1' },
    );

    expect(await p.pollOnce()).toMatchObject({ checked: 2, changed: 2, notModified: 0 });
    const before = readLog(home, ['LinkStateChanged']);
    expect(before.map((e) => [e.stream, e.data.state, e.data.checks])).toEqual([
      ['link-octo/app#1', 'open', undefined],
      ['link-octo/app#2', 'open', 'pending'],
    ]);

    const requestsBefore = github.requests.length;
    expect(await p.pollOnce()).toMatchObject({ checked: 2, changed: 0, notModified: 3 });
    const conditional = github.requests.slice(requestsBefore);
    expect(conditional.every((r) => r.ifNoneMatch !== undefined && r.status === 304)).toBe(true);
    expect(readLog(home, ['LinkStateChanged'])).toHaveLength(2);

    github.checkRuns.set('sha1', [{ status: 'completed', conclusion: 'success' }]);
    github.issue('octo/app', 1)!.state = 'closed';
    expect(await p.pollOnce()).toMatchObject({ changed: 2 });
    github.issue('octo/app', 2)!.pull = { merged: true, headSha: 'sha1' };
    github.issue('octo/app', 2)!.state = 'closed';
    expect(await p.pollOnce()).toMatchObject({ checked: 1, changed: 1 });
    const after = readLog(home, ['LinkStateChanged']).slice(2);
    expect(after.map((e) => [e.stream, e.data.state, e.data.checks, e.data.previousState])).toEqual([
      ['link-octo/app#1', 'closed', undefined, 'open'],
      ['link-octo/app#2', 'open', 'success', 'open'],
      ['link-octo/app#2', 'merged', 'success', 'open'],
    ]);
    // Closed and merged links are no longer followed.
    expect(await p.pollOnce()).toMatchObject({ checked: 0, changed: 0 });
    const links = JSON.parse(runCli(['links', '--json'], home.env).stdout) as {
      links: { id: string; state: string }[];
    };
    expect(links.links.map((l) => [l.id, l.state])).toEqual([
      ['octo/app#1', 'closed'],
      ['octo/app#2', 'merged'],
    ]);
    await app.close();
  });

  it('a 403 rate limit backs off until the reset, asking nothing in between', async () => {
    github.repos.set('octo/app', [{ number: 1, title: 'Bug', state: 'open' }]);
    let now = Date.parse('2026-11-01T00:00:00Z');
    const { app, store, poller: p } = await poller(() => new Date(now));
    await addLink(
      store,
      { url: 'https://github.com/octo/app/issues/1', repo: 'octo/app', number: 1, kind: 'issue' },
      { via: 'import' },
    );
    github.rateLimitedRequests = 1;
    github.rateLimitResetEpoch = now / 1000 + 60;
    expect(await p.pollOnce()).toMatchObject({ changed: 0, rateLimitedUntil: '2026-11-01T00:01:00.000Z' });
    const asked = github.requests.length;
    now += 30_000;
    expect(await p.pollOnce()).toMatchObject({ checked: 0, rateLimitedUntil: '2026-11-01T00:01:00.000Z' });
    expect(github.requests.length).toBe(asked);
    now += 30_000;
    expect(await p.pollOnce()).toMatchObject({ checked: 1, changed: 1, rateLimitedUntil: undefined });
    expect(readLog(home, ['LinkStateChanged'])).toHaveLength(1);
    await app.close();
  });
});

describe('ETags survive the process (github_etags table, ADR 0019)', () => {
  it("a second `links poll --once` process sends the first one's ETags: 304s, no events", async () => {
    github.repos.set('octo/app', [
      { number: 1, title: 'Bug', state: 'open' },
      { number: 2, title: 'Fix bug', state: 'open', pull: { merged: false, headSha: 'sha1' } },
    ]);
    github.checkRuns.set('sha1', [{ status: 'completed', conclusion: 'success' }]);
    const app = testApp(home);
    const { store } = await app.eventLog();
    await addLink(
      store,
      { url: 'https://github.com/octo/app/issues/1', repo: 'octo/app', number: 1, kind: 'issue' },
      { via: 'import' },
    );
    await addLink(
      store,
      { url: 'https://github.com/octo/app/pull/2', repo: 'octo/app', number: 2, kind: 'pull' },
      { via: 'tag' },
    );
    await app.close();

    const first = await cli(['links', 'poll', '--once', '--json']);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ poll: { checked: 2, changed: 2, notModified: 0 } });
    expect(github.requests.every((r) => r.ifNoneMatch === undefined && r.status === 200)).toBe(true);
    const events = readLog(home).length;

    const asked = github.requests.length;
    const second = await cli(['links', 'poll', '--once', '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ poll: { checked: 2, changed: 0, notModified: 3 } });
    const conditional = github.requests.slice(asked);
    // Issue, pull and the pull head's checks: all conditional, all 304, although this process never asked before.
    expect(conditional.map((r) => [r.path.split('?')[0], r.status])).toEqual([
      ['/repos/octo/app/issues/1', 304],
      ['/repos/octo/app/pulls/2', 304],
      ['/repos/octo/app/commits/sha1/check-runs', 304],
    ]);
    expect(conditional.every((r) => r.ifNoneMatch !== undefined)).toBe(true);
    expect(readLog(home)).toHaveLength(events);

    // A real change is still seen by a third process: the new head's checks are asked for fresh.
    github.issue('octo/app', 2)!.pull = { merged: false, headSha: 'sha2' };
    github.checkRuns.set('sha2', [{ status: 'in_progress', conclusion: null }]);
    const third = await cli(['links', 'poll', '--once', '--json']);
    expect(JSON.parse(third.stdout)).toMatchObject({ poll: { checked: 2, changed: 1, notModified: 1 } });
    expect(readLog(home, ['LinkStateChanged']).at(-1)!.data).toMatchObject({
      number: 2,
      state: 'open',
      checks: 'pending',
      previousState: 'open',
    });
  });
});

describe('GitHub API base URL from config.toml', () => {
  const config = (extra: string): void =>
    writeFileSync(
      join(home.env.JACKIN_CONFIG_DIR!, 'config.toml'),
      [
        'version = "v1alpha10"',
        '[runtimes.scripted]',
        `command = ["${process.execPath}"]`,
        '',
        extra,
        '',
      ].join('\n'),
    );

  it('[github] api_url is used; JACKIN_GITHUB_API_URL overrides it', async () => {
    github.repos.set('octo/app', issues(2));
    config(`[github]\napi_url = "${github.url}"`);
    const env = { ...home.env, JACKIN_GITHUB_API_URL: '' };
    const fromConfig = await startCli(importArgs(), env).done;
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect((JSON.parse(fromConfig.stdout) as { tasks: unknown[] }).tasks).toHaveLength(2);

    // The config URL is used (its /nowhere prefix answers 404) unless the environment overrides it.
    config(`[github]\napi_url = "${github.url}/nowhere"`);
    const overridden = await cli(importArgs());
    expect(overridden.code, overridden.stderr).toBe(0);
    const asked = github.requests.length;
    const wrong = await startCli(importArgs(), env).done;
    expect(wrong.code).toBe(3);
    expect(github.requests.slice(asked).map((r) => r.path.split('?')[0])).toEqual([
      '/nowhere/repos/octo/app/issues',
    ]);
  });

  it('bad URLs: a non-http(s) api_url or env value is a usage error (2) naming it', async () => {
    config('[github]\napi_url = "ftp://github.example.com"');
    const env = { ...home.env, JACKIN_GITHUB_API_URL: '' };
    const badConfig = await startCli(importArgs(), env).done;
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/github\.api_url/);
    expect(badConfig.stderr).toMatch(/expected an http\(s\) URL/);

    config('');
    const badEnv = await startCli(importArgs(), { ...home.env, JACKIN_GITHUB_API_URL: 'github.example.com' })
      .done;
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toMatch(
      /^jackin: invalid JACKIN_GITHUB_API_URL: expected an http\(s\) URL\nhint: /,
    );
    expect(github.requests).toHaveLength(0);
  });
});
