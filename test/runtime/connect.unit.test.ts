import { describe, expect, it } from 'vitest';
import { Agent } from 'node:http';
import { dockerodeOptions, resolveDockerEndpoint } from '../../src/runtime/docker/connect.js';
import { managedFilter, managedLabels } from '../../src/runtime/labels.js';

const noContext = { HOME: '/nonexistent-home-for-tests' };

describe('resolveDockerEndpoint (docker CLI rules)', () => {
  it('uses DOCKER_HOST when set (unix)', () => {
    expect(resolveDockerEndpoint({ ...noContext, DOCKER_HOST: 'unix:///tmp/d.sock' })).toMatchObject({
      socketPath: '/tmp/d.sock',
      source: 'DOCKER_HOST',
    });
  });
  it('uses TLS on tcp when DOCKER_TLS_VERIFY is set, with DOCKER_CERT_PATH', () => {
    const endpoint = resolveDockerEndpoint({
      ...noContext,
      DOCKER_HOST: 'tcp://sidecar:2376',
      DOCKER_TLS_VERIFY: '1',
      DOCKER_CERT_PATH: '/certs',
    });
    expect(endpoint).toMatchObject({ host: 'sidecar', port: 2376, protocol: 'https', certPath: '/certs' });
  });
  it('uses plain http on tcp without DOCKER_TLS_VERIFY, default port 2375', () => {
    expect(resolveDockerEndpoint({ ...noContext, DOCKER_HOST: 'tcp://h' })).toMatchObject({
      port: 2375,
      protocol: 'http',
    });
  });
  it('ignores an empty DOCKER_HOST and falls back to the default socket', () => {
    expect(resolveDockerEndpoint({ ...noContext, DOCKER_HOST: '  ' })).toEqual({
      url: 'unix:///var/run/docker.sock',
      socketPath: '/var/run/docker.sock',
      source: 'default',
    });
  });
});

describe('dockerodeOptions', () => {
  it('gives a Unix-socket engine one keep-alive agent with no TLS server name to work out', () => {
    const endpoint = resolveDockerEndpoint({ DOCKER_HOST: 'unix:///run/docker.sock' });
    const options = dockerodeOptions(endpoint);
    expect(options.socketPath).toBe('/run/docker.sock');
    const agent = options.agent as Agent & { options: Record<string, unknown> };
    expect(agent).toBeInstanceOf(Agent);
    expect(agent.options).toMatchObject({ keepAlive: true, servername: '' });
    expect(dockerodeOptions(endpoint).agent).toBe(agent);
  });
});

describe('labels', () => {
  it('marks every object managed with its kind and drops undefined facts', () => {
    expect(managedLabels('dind', { 'dev.jackin.instance': 'i1', 'dev.jackin.role': undefined })).toEqual({
      'dev.jackin.managed': 'true',
      'dev.jackin.kind': 'dind',
      'dev.jackin.instance': 'i1',
    });
    expect(managedFilter('image')).toEqual({ 'dev.jackin.managed': 'true', 'dev.jackin.kind': 'image' });
  });
});
