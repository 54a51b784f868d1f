import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addTask, fleetFixture, readLog, startCli } from '../helpers/fleet.js';
import { GithubStandIn } from '../helpers/github-stand-in.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

// Issue 7's optional publish step with real git (a local bare remote) and the GitHub stand-in:
// a role with `[task] push = true` gets its task branches pushed, and an issue task a draft PR
// that closes the issue. The int tier runs agents with the local runner; publishing happens in
// the worker after the success is recorded, the same for both runners.

let github: GithubStandIn;
let home: TempHome;
let repo: string;
let remote: string;
let pushingRole: string;

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();

beforeEach(async () => {
  github = new GithubStandIn();
  await github.start();
  home = tempHome('jackin-publish-');
  repo = fleetFixture(home).repo;
  remote = join(home.dir, 'remote.git');
  git(home.dir, 'init', '-q', '--bare', remote);
  git(repo, 'remote', 'add', 'origin', remote);
  git(repo, 'push', '-q', 'origin', 'main');
  pushingRole = join(home.dir, 'pushing-role');
  mkdirSync(pushingRole);
  writeFileSync(
    join(pushingRole, 'Dockerfile'),
    'ARG JACKIN_CONSTRUCT_IMAGE=jackin/construct:0.1\nFROM ${JACKIN_CONSTRUCT_IMAGE}\n',
  );
  writeFileSync(
    join(pushingRole, 'jackin.role.toml'),
    'version = "v1alpha7"\ndockerfile = "Dockerfile"\nagents = ["scripted"]\n\n[task]\npush = true\n',
  );
  home.env.JACKIN_GITHUB_API_URL = github.url;
  home.env.GITHUB_TOKEN = 'stand-in-token';
});
afterEach(async () => {
  await github.stop();
  home.cleanup();
});

const remoteBranches = (): Map<string, string> =>
  new Map(
    git(remote, 'for-each-ref', '--format=%(refname:short) %(objectname)', 'refs/heads')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]),
  );

const taskStory = (id: string): string[] =>
  readLog(home)
    .filter((e) => e.stream === `task-${id}`)
    .map((e) => e.type)
    .filter((t) => t !== 'TaskLeaseRenewed');

/** The stand-in lives in this process: CLI calls that reach it must not block the event loop. */
const cli = (args: string[]) => startCli(args, home.env).done;

describe('publishing a succeeded task (role [task] push = true)', () => {
  it('an issue task: branch pushed, draft PR closing the issue, linked; a prompt task: pushed only; a role without the flag: nothing', async () => {
    github.repos.set('octo/app', [
      { number: 1, title: 'Fix the bug', body: 'commit', state: 'open', labels: ['agent'] },
    ]);
    const imported = await cli([
      'task',
      'import',
      'github',
      'octo/app',
      '--workspace',
      repo,
      '--role',
      pushingRole,
      '--agent',
      'scripted',
    ]);
    expect(imported.code, imported.stderr).toBe(0);
    const issueTask = 'gh-octo-app-1';
    const promptTask = addTask(home, repo, 'commit', ['--role', pushingRole]);
    const quietTask = addTask(home, repo, 'commit');

    const run = await cli(['queue', 'run', '--once', '--concurrency', '2', '--poll', '100ms']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /gh-octo-app-1: opened draft pull request https:\/\/github.com\/octo\/app\/pull\/2 \(closes #1\)/,
    );

    const log = readLog(home);
    const commitOf = (id: string): string =>
      (log.find((e) => e.type === 'TaskSucceeded' && e.data.taskId === id)!.data.commits as string[]).at(-1)!;
    const branches = remoteBranches();
    expect(branches.get(`jackin/task/${issueTask}`)).toBe(commitOf(issueTask));
    expect(branches.get(`jackin/task/${promptTask}`)).toBe(commitOf(promptTask));
    expect(branches.has(`jackin/task/${quietTask}`)).toBe(false);

    // The issue task: intent, push, PR, in that order after the success.
    expect(taskStory(issueTask)).toEqual([
      'TaskQueued',
      'TaskClaimed',
      'TaskStarted',
      'TaskSucceeded',
      'TaskPublishRequested',
      'TaskBranchPushed',
      'TaskPullRequestOpened',
    ]);
    const events = (type: string, id: string) =>
      log.filter((e) => e.type === type && e.data.taskId === id).map((e) => e.data);
    expect(events('TaskPublishRequested', issueTask)).toEqual([
      {
        taskId: issueTask,
        attempt: 1,
        branch: `jackin/task/${issueTask}`,
        remote: 'origin',
        commit: commitOf(issueTask),
        pullRequest: { repo: 'octo/app', closes: 1 },
      },
    ]);
    expect(events('TaskPullRequestOpened', issueTask)).toEqual([
      {
        taskId: issueTask,
        attempt: 1,
        repo: 'octo/app',
        number: 2,
        url: 'https://github.com/octo/app/pull/2',
        base: 'main',
        draft: true,
        closes: 1,
      },
    ]);
    expect(github.createdPulls).toHaveLength(1);
    expect(github.createdPulls[0]!.body).toMatchObject({
      head: `jackin/task/${issueTask}`,
      base: 'main',
      title: 'Fix the bug',
      draft: true,
    });
    expect(String(github.createdPulls[0]!.body.body)).toMatch(/^Closes #1\n/);
    const link = log.find((e) => e.type === 'LinkAdded' && e.stream === 'link-octo/app#2')!;
    expect(link.data).toMatchObject({ kind: 'pull', via: 'result', taskId: issueTask });

    // The prompt task: pushed, no PR (no issue to close); the plain role: no publish events at all.
    expect(taskStory(promptTask).slice(-3)).toEqual([
      'TaskSucceeded',
      'TaskPublishRequested',
      'TaskBranchPushed',
    ]);
    expect(events('TaskPublishRequested', promptTask)[0]!.pullRequest).toBeUndefined();
    expect(taskStory(quietTask).at(-1)).toBe('TaskSucceeded');

    const history = await cli(['history', issueTask]);
    expect(history.stdout).toMatch(/TaskPullRequestOpened .*number=2/);
    expect((await cli(['events', 'verify'])).code).toBe(0);
  });

  it('a push that fails is recorded (TaskPublishFailed, URL credentials redacted) and the task stays succeeded', async () => {
    git(repo, 'remote', 'set-url', 'origin', 'https://user:s3cret-token@127.0.0.1:1/nowhere.git');
    const id = addTask(home, repo, 'commit', ['--role', pushingRole]);
    const run = await cli(['queue', 'run', '--once', '--poll', '100ms']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${id}: push failed: `));
    expect(taskStory(id).slice(-3)).toEqual(['TaskSucceeded', 'TaskPublishRequested', 'TaskPublishFailed']);
    const failed = readLog(home, ['TaskPublishFailed'])[0]!;
    expect(failed.data).toMatchObject({ taskId: id, stage: 'push' });
    const tasks = JSON.parse((await cli(['task', 'list', '--json'])).stdout) as {
      tasks: { id: string; state: string }[];
    };
    expect(tasks.tasks.find((t) => t.id === id)!.state).toBe('succeeded');
    expect(JSON.stringify(readLog(home))).not.toContain('s3cret-token');
    expect(run.stdout).not.toContain('s3cret-token');
  });
});
