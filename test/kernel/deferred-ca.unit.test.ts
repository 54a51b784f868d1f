import { describe, expect, it } from 'vitest';
import { deferExtraCaCerts } from '../../src/kernel/deferred-ca.js';

describe('deferExtraCaCerts (ADR 0031)', () => {
  it('hands NODE_EXTRA_CA_CERTS over as JACKIN_DEFERRED_CA_CERTS, leaving the rest alone', () => {
    const env = { PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/proxy-ca.pem' };
    expect(deferExtraCaCerts(env)).toEqual({ PATH: '/bin', JACKIN_DEFERRED_CA_CERTS: '/etc/proxy-ca.pem' });
    expect(env).toEqual({ PATH: '/bin', NODE_EXTRA_CA_CERTS: '/etc/proxy-ca.pem' });
  });

  it('returns the environment as it is when the variable is unset or empty', () => {
    const env = { PATH: '/bin', NODE_EXTRA_CA_CERTS: '' };
    expect(deferExtraCaCerts(env)).toBe(env);
    const none = { PATH: '/bin' };
    expect(deferExtraCaCerts(none)).toBe(none);
  });
});
