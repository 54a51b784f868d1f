import { describe, expect, it } from 'vitest';
import { assertNoSecretValues } from '../../src/events/secret-guard.js';
import { validateNewEvent } from '../../src/events/codec.js';

describe('the secret guard on free-form payload fields', () => {
  it('refuses a value under a secret-shaped key, naming the path', () => {
    expect(() => assertNoSecretValues('X', { env: { GH_TOKEN: 'ghp_realvalue123' } })).toThrow(
      /X: env\.GH_TOKEN looks like a secret value/,
    );
    expect(() => assertNoSecretValues('X', { list: [{ apiKey: 'sk-1' }] })).toThrow(/list\[0\]\.apiKey/);
    expect(() => assertNoSecretValues('X', { dbPassword: 'hunter2' })).toThrow(/dbPassword/);
  });

  it('accepts references, fingerprints and names', () => {
    expect(() =>
      assertNoSecretValues('X', {
        env: {
          GH_TOKEN: 'op://Work/github/token',
          ANTHROPIC_API_KEY: '$ANTHROPIC_API_KEY',
          DB_PASSWORD: 'sha256:0123456789ab',
        },
        tokenSource: 'gh auth token',
        name: 'ANTHROPIC_API_KEY',
        credentials: [{ name: 'OPENAI_API_KEY', source: 'host env' }],
      }),
    ).not.toThrow();
  });

  it('guards every append through the codec', () => {
    expect(() =>
      validateNewEvent({
        type: 'InstanceLaunchRequested',
        data: {
          instanceId: 'a',
          name: 'a',
          role: 'r',
          workspace: 'w',
          runtime: 'c',
          contract: { secret: 'plain' },
        },
      }),
    ).toThrow(/InstanceLaunchRequested: contract\.secret looks like a secret value/);
  });
});
