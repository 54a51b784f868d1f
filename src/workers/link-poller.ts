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
import { GithubEtags } from './github-etags.js';
import type { CachedEtag } from './github-etags.js';
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

type Observation = { observed: Observed | undefined; cache: (() => void)[] };

/**
 * Follows every open link with conditional requests (ETags kept in the `github_etags` table, so
 * they survive the process: ADR 0019) and appends `LinkStateChanged` only when the state, checks or
 * title really changed. An ETag is stored only once what it describes is recorded.
 */
export class LinkPoller {
  private readonly etags: GithubEtags;
  private readonly checks = new Map<string, ChecksSummary>();
  private blockedUntil = 0;

  constructor(private readonly deps: LinkPollerDeps) {
    this.etags = new GithubEtags(deps.db);
  }

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
        const { observed, cache } = await this.observe(link, round);
        if (observed && (await this.record(link, observed))) round.changed += 1;
        for (const store of cache) store();
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

  /** An ETag to send: none while the link's state was never recorded (its first answer must be full). */
  private cached(link: LinkRow, key: string): CachedEtag | undefined {
    return link.state === 'unknown' ? undefined : this.etags.get(key);
  }

  /**
   * The link's current state (undefined when GitHub answered 304 for everything) and the cache
   * writes to make once it is recorded.
   */
  private async observe(link: LinkRow, round: { notModified: number }): Promise<Observation> {
    const { github } = this.deps;
    const at = this.deps.clock.now();
    const cache: (() => void)[] = [];
    const key = `${link.kind}:${link.link_id}`;
    if (link.kind === 'issue') {
      const answer = await github.getIssue(link.repo, link.number, this.cached(link, key)?.etag);
      if (answer.notModified) {
        round.notModified += 1;
        return { observed: undefined, cache };
      }
      if (answer.etag) {
        const etag = answer.etag;
        cache.push(() => this.etags.set(key, { etag, headSha: undefined }, at));
      }
      return { observed: { state: answer.value.state, title: answer.value.title, checks: undefined }, cache };
    }
    const before = this.cached(link, key);
    const pull = await github.getPull(link.repo, link.number, before?.etag);
    let title = link.title ?? undefined;
    let state = link.state === 'unknown' ? undefined : link.state;
    let sha = before?.headSha;
    if (pull.notModified) round.notModified += 1;
    else {
      sha = pull.value.headSha;
      const { etag } = pull;
      if (etag) cache.push(() => this.etags.set(key, { etag, headSha: pull.value.headSha }, at));
      // The old head's checks are no longer asked for.
      if (before?.headSha && before.headSha !== sha) {
        const old = `checks:${link.repo}@${before.headSha}`;
        cache.push(() => this.etags.delete(old));
      }
      title = pull.value.title;
      state = pull.value.merged ? 'merged' : pull.value.state;
    }
    let checks = this.checks.get(key) ?? ((link.checks ?? undefined) as ChecksSummary);
    if (sha !== undefined) {
      const checksKey = `checks:${link.repo}@${sha}`;
      const known = link.state === 'unknown' ? undefined : this.etags.get(checksKey);
      const answer = await github.getChecks(link.repo, sha, known?.etag);
      if (answer.notModified) round.notModified += 1;
      else {
        const { etag } = answer;
        if (etag) cache.push(() => this.etags.set(checksKey, { etag, headSha: sha }, at));
        checks = answer.value;
        this.checks.set(key, checks);
      }
    }
    if (pull.notModified && checks === (link.checks ?? undefined)) return { observed: undefined, cache };
    return { observed: state === undefined ? undefined : { state, title, checks }, cache };
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
