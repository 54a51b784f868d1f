import { linkStream } from '../../domain/link.js';
import { TaskTransitionError } from '../../domain/task.js';
import type { EventStore } from '../../events/store.js';
import { VersionConflictError } from '../../events/expected-version.js';
import type { GithubClient, GithubIssue } from '../../github/client.js';
import { UsageError } from '../../kernel/errors.js';
import { addLink } from './links.js';
import { queueTask } from './queue-task.js';
import type { TaskSpec } from './queue-task.js';

export interface ImportOptions {
  readonly labels: readonly string[];
  readonly state: 'open' | 'closed' | 'all';
  readonly limit: number;
}

export interface ImportOutcome {
  readonly issue: GithubIssue;
  readonly taskId: string;
  readonly queued: boolean;
}

const REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

export function checkRepoName(text: string): string {
  if (!REPO.test(text)) {
    throw new UsageError(`invalid repository '${text}'`, { hint: 'use OWNER/REPO, e.g. octo-org/app' });
  }
  return text;
}

/** The task id of a GitHub issue: deterministic, so queueing it twice is a version conflict. */
export function issueTaskId(repo: string, number: number): string {
  return `gh-${repo.toLowerCase().replace('/', '-')}-${number}`;
}

/** The prompt an issue becomes: its title and body, and where it lives. */
export function issuePrompt(repo: string, issue: GithubIssue): string {
  const body = issue.body.trim();
  return `Work on GitHub issue ${repo}#${issue.number}: ${issue.title}\n${issue.url}${body ? `\n\n${body}` : ''}`;
}

/**
 * Queues one task per issue. Idempotent across runs and concurrent importers: each issue's task has a
 * fixed id and is appended with `no_stream`; an issue already queued is reported, not queued again.
 */
export async function importGithubIssues(
  store: EventStore,
  github: GithubClient,
  repo: string,
  base: Omit<TaskSpec, 'prompt'>,
  options: ImportOptions,
): Promise<ImportOutcome[]> {
  const issues = await github.listIssues(repo, options);
  const outcomes: ImportOutcome[] = [];
  for (const issue of issues) {
    const taskId = issueTaskId(repo, issue.number);
    let queued = true;
    try {
      await queueTask(
        store,
        taskId,
        { ...base, prompt: issuePrompt(repo, issue) },
        {
          kind: 'github_issue',
          repo,
          number: issue.number,
          url: issue.url,
          title: issue.title,
        },
      );
    } catch (error) {
      if (!(error instanceof TaskTransitionError || error instanceof VersionConflictError)) throw error;
      queued = false;
    }
    // Also heals a previous import that stopped between the task and its link.
    const ref = { url: issue.url, repo, number: issue.number, kind: 'issue' as const };
    if (queued || (await store.streamVersion(linkStream(ref))) === 0) {
      await addLink(store, ref, { via: 'import', taskId });
    }
    outcomes.push({ issue, taskId, queued });
  }
  return outcomes;
}
