import { describe, expect, it } from 'vitest';
import { proxyEnvironment } from '../../src/runtime/proxy.js';

describe('proxyEnvironment', () => {
  it('is empty when the host has no proxy settings', () => {
    expect(proxyEnvironment({}, ['jk-1-dind'])).toEqual({});
  });
  it('passes proxies through in both spellings and adds the sidecar to NO_PROXY', () => {
    expect(
      proxyEnvironment({ https_proxy: 'http://proxy:3128', NO_PROXY: 'localhost, .corp' }, ['jk-1-dind']),
    ).toEqual({
      HTTPS_PROXY: 'http://proxy:3128',
      https_proxy: 'http://proxy:3128',
      NO_PROXY: 'localhost,.corp,jk-1-dind',
      no_proxy: 'localhost,.corp,jk-1-dind',
    });
  });
});
