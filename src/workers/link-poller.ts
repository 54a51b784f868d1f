import type { SqliteConnection } from '../db/open.js';
import { linkStream } from '../domain/link.js';
import type { EventData } from '../events/envelope.js';
import { VersionConflictError } from '../events/expected-version.js';
import type { EventStore } from '../events/store.js';
import { GithubRateLimitedError } from '../github/errors.js';
import type { ChecksSummary, GithubClient } from '../github/client.js';
import type { Clock } from '../kernel/clock.js';
import { isJackinError } from '../kernel/errors.js';
import type { Logger } from '../logging/logger.js';
import { openLinks } from '../projections/links.js';
import type { LinkRow } from '../projections/links.js';

export interface LinkPollerDeps {
  readonly db: SqliteConnection;
  readonly store: EventStore;
  readonly github: GithubClient;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface PollRound {
  readonly checked: number;
  readonly changed: number;
  /** Answers GitHub gave as 304 Not Modified (they cost no rate limit and no event). */
  readonly notModified: number;
  readonly failed: number;
  /** Set when GitHub's rate limit is spent: nothing is asked before then. */
  readonly rateLimitedUntil: string | undefined;
}

type Observed = Pick<EventData<'LinkStateChanged'>, 'state' | 'title'> & { checks: ChecksSummary };

/**
 * Follows every open link with conditional requests (ETags kept in memory for the process's life)
 * and appends `LinkStateChanged` only when the state, checks or title really changed.
 */
export class LinkPoller {
  private readonly etags = new Map<string, string>();
  private readonly headShas = new Map<string, string>();
  private readonly checks = new Map<string, ChecksSummary>();
  private blockedUntil = 0;

  constructor(private readonly deps: LinkPollerDeps) {}

  /** When the rate limit allows asking again (ms since epoch; 0 = now). */
  get resumesAt(): number {
    return this.blockedUntil;
  }

  async pollOnce(): Promise<PollRound> {
    const round = { checked: 0, changed: 0, notModified: 0, failed: 0 };
    const now = this.deps.clock.now().getTime();
    if (now < this.blockedUntil) {
      return { ...round, rateLimitedUntil: new Date(this.blockedUntil).toISOString() };
    }
    for (const link of openLinks(this.deps.db)) {
      try {
        round.checked += 1;
        const observed = await this.observe(link, round);
        if (observed && (await this.record(link, observed))) round.changed += 1;
      } catch (error) {
        if (error instanceof GithubRateLimitedError) {
          this.blockedUntil = error.resetAt.getTime();
          this.deps.logger.warn({ until: error.resetAt.toISOString() }, 'GitHub rate limit: backing off');
          return { ...round, rateLimitedUntil: error.resetAt.toISOString() };
        }
        if (!isJackinError(error)) throw error;
        round.failed += 1;
        this.deps.logger.warn({ err: error, link: link.link_id }, 'link poll failed');
      }
    }
    return { ...round, rateLimitedUntil: undefined };
  }

  /** The link's current state, or undefined when GitHub answered 304 for everything. */
  private async observe(link: LinkRow, round: { notModified: number }): Promise<Observed | undefined> {
    const { github } = this.deps;
    const key = `${link.kind}:${link.link_id}`;
    if (link.kind === 'issue') {
      const answer = await github.getIssue(link.repo, link.number, this.etags.get(key));
      if (answer.notModified) {
        round.notModified += 1;
        return undefined;
      }
      if (answer.etag) this.etags.set(key, answer.etag);
      return { state: answer.value.state, title: answer.value.title, checks: undefined };
    }
    const pull = await github.getPull(link.repo, link.number, this.etags.get(key));
    let title = link.title ?? undefined;
    let state = link.state === 'unknown' ? undefined : link.state;
    if (pull.notModified) round.notModified += 1;
    else {
      if (pull.etag) this.etags.set(key, pull.etag);
      this.headShas.set(key, pull.value.headSha);
      title = pull.value.title;
      state = pull.value.merged ? 'merged' : pull.value.state;
    }
    const sha = this.headShas.get(key);
    let checks = this.checks.get(key) ?? ((link.checks ?? undefined) as ChecksSummary);
    if (sha !== undefined) {
      const checksKey = `checks:${link.repo}@${sha}`;
      const answer = await github.getChecks(link.repo, sha, this.etags.get(checksKey));
      if (answer.notModified) round.notModified += 1;
      else {
        if (answer.etag) this.etags.set(checksKey, answer.etag);
        checks = answer.value;
        this.checks.set(key, checks);
      }
    }
    if (pull.notModified && checks === (link.checks ?? undefined)) return undefined;
    return state === undefined ? undefined : { state, title, checks };
  }

  /** Appends a change at the stream's exact version; a concurrent poller's identical append wins. */
  private async record(link: LinkRow, observed: Observed): Promise<boolean> {
    const same =
      observed.state === link.state &&
      (observed.checks ?? null) === link.checks &&
      (observed.title === undefined || observed.title === link.title);
    if (same) return false;
    const stream = linkStream(link);
    const version = await this.deps.store.streamVersion(stream);
    try {
      await this.deps.store.append(
        stream,
        [
          {
            type: 'LinkStateChanged',
            data: {
              url: link.url,
              repo: link.repo,
              number: link.number,
              kind: link.kind,
              state: observed.state,
              ...(observed.checks === undefined ? {} : { checks: observed.checks }),
              ...(observed.title === undefined ? {} : { title: observed.title }),
              previousState: link.state,
            },
          },
        ],
        { expectedVersion: version, actor: 'reconciler' },
      );
      return true;
    } catch (error) {
      if (error instanceof VersionConflictError) return false;
      throw error;
    }
  }
}
