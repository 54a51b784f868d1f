import { describe, expect, it } from 'vitest';
import { missingCapabilities, securityFlags, sidecarSecurity } from '../../src/runtime/privileged.js';

describe('missingCapabilities', () => {
  it('names the capability absent from a bounding set (this dev machine: bit 24)', () => {
    expect(missingCapabilities('000001fffeffffff')).toEqual(['SYS_RESOURCE']);
  });
  it('is empty for a full bounding set', () => {
    expect(missingCapabilities('000001ffffffffff')).toEqual([]);
  });
  it('lists several when several bits are missing', () => {
    expect(missingCapabilities('000001fffeffefff')).toEqual(['NET_ADMIN', 'SYS_RESOURCE']);
  });
});

describe('sidecarSecurity', () => {
  it('is plain --privileged where the engine allows it', () => {
    expect(sidecarSecurity({ mode: 'privileged', reason: 'ok' })).toEqual({ privileged: true });
    expect(securityFlags(sidecarSecurity({ mode: 'privileged', reason: 'ok' }))).toEqual(['--privileged']);
  });
  it('is every capability the engine has, unconfined, all devices, in equivalent mode', () => {
    const profile = sidecarSecurity({
      mode: 'equivalent',
      reason: 'caps',
      missingCapabilities: ['SYS_RESOURCE'],
    });
    expect(profile.privileged).toBeUndefined();
    expect(securityFlags(profile)).toEqual([
      '--cap-add',
      'ALL',
      '--cap-drop',
      'SYS_RESOURCE',
      '--security-opt',
      'seccomp=unconfined',
      '--security-opt',
      'apparmor=unconfined',
      '--security-opt',
      'systempaths=unconfined',
      '--device-cgroup-rule',
      'a *:* rwm',
    ]);
  });
});
