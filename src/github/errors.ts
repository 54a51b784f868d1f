import { JackinError } from '../kernel/errors.js';

/** GitHub said the rate limit is spent; nothing should be asked before `resetAt`. */
export class GithubRateLimitedError extends JackinError {
  constructor(readonly resetAt: Date) {
    super('github_rate_limited', `GitHub rate limit exhausted until ${resetAt.toISOString()}`, {
      hint: 'wait for the reset, or use a token with a higher limit (GITHUB_TOKEN)',
    });
    this.name = 'GithubRateLimitedError';
  }
}
