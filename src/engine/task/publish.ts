import { taskStream } from '../../domain/task.js';
import type { Actor, NewEvent } from '../../events/envelope.js';
import type { EventStore } from '../../events/store.js';
import type { GithubClient } from '../../github/client.js';
import { JackinError, isJackinError } from '../../kernel/errors.js';
import { runGit } from '../../roles/git.js';
import { addLink } from './links.js';

/** A succeeded attempt with commits, as the publisher needs it. */
export interface PublishInput {
  readonly taskId: string;
  readonly attempt: number;
  readonly role: string;
  readonly workspace: string;
  readonly branch: string;
  readonly commits: readonly string[];
}

export interface PublishDeps {
  readonly store: EventStore;
  readonly env: NodeJS.ProcessEnv;
  readonly actor: Actor;
  /** Whether the task's role sets `[task] push = true` (read without fetching anything). */
  rolePushes(role: string): Promise<boolean>;
  /** The host git repository of a task's workspace. */
  resolveRepository(workspace: string): Promise<string>;
  /** The GitHub client, created only when a pull request is opened (octokit loads lazily). */
  github(): Promise<GithubClient>;
}

/** What the publisher says it did, one line per step, for the worker's output. */
export type PublishReport = string[];

const REMOTE = 'origin';

/** `https://user:token@host/…` → `https://***@host/…`: git messages may echo a remote URL. */
export function redactUrls(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}

/** The first line of the prompt, or of the issue title, for the pull request's title. */
function titleOf(prompt: string, fallback: string): string {
  const line =
    prompt
      .split('\n')
      .find((l) => l.trim().length > 0)
      ?.trim() ?? fallback;
  return line.length > 72 ? `${line.slice(0, 71)}…` : line;
}

async function append(deps: PublishDeps, taskId: string, event: NewEvent): Promise<void> {
  // Publishing events do not move the task's state (the decider ignores them): any version will do.
  await deps.store.append(taskStream(taskId), [event], { expectedVersion: 'any', actor: deps.actor });
}

/**
 * When the task's role allows it (`[task] push = true`): pushes `jackin/task/<id>` to the
 * workspace repository's `origin`, and for a task imported from a GitHub issue opens a draft pull
 * request that closes the issue, recording a link to it. Intent, then outcome (or
 * `TaskPublishFailed`); a failure never changes the task's outcome.
 */
export async function publishTask(deps: PublishDeps, input: PublishInput): Promise<PublishReport> {
  const { taskId, attempt, branch } = input;
  if (input.commits.length === 0 || !(await deps.rolePushes(input.role))) return [];
  const queued = (await deps.store.readStream(taskStream(taskId))).find((e) => e.type === 'TaskQueued');
  const source = queued?.type === 'TaskQueued' ? queued.data.source : undefined;
  const issue = source?.kind === 'github_issue' ? source : undefined;
  const commit = input.commits.at(-1)!;
  await append(deps, taskId, {
    type: 'TaskPublishRequested',
    data: {
      taskId,
      attempt,
      branch,
      remote: REMOTE,
      commit,
      ...(issue ? { pullRequest: { repo: issue.repo, closes: issue.number } } : {}),
    },
  });
  const failed = async (stage: 'push' | 'pull_request', error: unknown): Promise<PublishReport> => {
    const message = redactUrls(error instanceof Error ? error.message : String(error));
    await append(deps, taskId, { type: 'TaskPublishFailed', data: { taskId, attempt, stage, message } });
    return [`${taskId}: ${stage === 'push' ? 'push' : 'pull request'} failed: ${message}`];
  };

  let repository: string;
  let base: string;
  try {
    repository = await deps.resolveRepository(input.workspace);
    await runGit(['remote', 'get-url', REMOTE], { cwd: repository, env: deps.env }).catch(() => {
      throw new JackinError('git_failed', `the workspace repository has no remote '${REMOTE}'`);
    });
    base = await runGit(['symbolic-ref', '--short', 'HEAD'], { cwd: repository, env: deps.env }).catch(
      () => 'main',
    );
    await runGit(['push', '--quiet', REMOTE, `refs/heads/${branch}:refs/heads/${branch}`], {
      cwd: repository,
      env: deps.env,
    });
  } catch (error) {
    if (!isJackinError(error)) throw error;
    return failed('push', error);
  }
  await append(deps, taskId, {
    type: 'TaskBranchPushed',
    data: { taskId, attempt, branch, remote: REMOTE, commit },
  });
  const report = [`${taskId}: pushed ${branch} to ${REMOTE}`];
  if (!issue) return report;

  let opened: { number: number; url: string };
  try {
    const github = await deps.github();
    opened = await github.createPull(issue.repo, {
      head: branch,
      base,
      title: titleOf(issue.title, `jackin task ${taskId}`),
      body: [
        `Closes #${issue.number}`,
        '',
        `Opened by jackin for task \`${taskId}\` (attempt ${attempt}): ${input.commits.length} commit(s) on \`${branch}\`.`,
      ].join('\n'),
      draft: true,
    });
  } catch (error) {
    if (!isJackinError(error)) throw error;
    return [...report, ...(await failed('pull_request', error))];
  }
  await append(deps, taskId, {
    type: 'TaskPullRequestOpened',
    data: {
      taskId,
      attempt,
      repo: issue.repo,
      number: opened.number,
      url: opened.url,
      base,
      draft: true,
      closes: issue.number,
    },
  });
  await addLink(
    deps.store,
    { url: opened.url, repo: issue.repo, number: opened.number, kind: 'pull' },
    { via: 'result', taskId },
    deps.actor,
  );
  return [...report, `${taskId}: opened draft pull request ${opened.url} (closes #${issue.number})`];
}
