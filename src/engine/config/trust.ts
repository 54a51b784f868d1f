import type { ConfigStore } from '../../config/config-store.js';
import type { EventStore } from '../../events/store.js';
import { withTrust, withoutTrust } from '../../roles/trust.js';
import { CONFIG_STREAM, appendAtCurrentVersion } from './record.js';

export interface TrustGrant {
  readonly key: string;
  readonly url: string;
  readonly commit: string | null;
}

/** Persists trust in config.toml and appends TrustGranted with the commit, under the config lock. */
export async function grantTrust(
  files: ConfigStore,
  store: () => Promise<EventStore>,
  grant: TrustGrant,
  via: 'prompt' | 'command',
): Promise<void> {
  await files.updateConfig(
    (current) => ({ next: withTrust(current, grant.key, grant.url, grant.commit), result: undefined }),
    async () =>
      appendAtCurrentVersion(await store(), CONFIG_STREAM, [
        {
          type: 'TrustGranted',
          data: { role: grant.key, source: grant.url, commit: grant.commit || null, via },
        },
      ]),
  );
}

/** Withdraws trust in config.toml and appends TrustRevoked. */
export async function revokeTrust(
  files: ConfigStore,
  store: () => Promise<EventStore>,
  key: string,
): Promise<void> {
  await files.updateConfig(
    (current) => ({ next: withoutTrust(current, key), result: current.roles?.[key]?.git ?? null }),
    async ({ before }) =>
      appendAtCurrentVersion(await store(), CONFIG_STREAM, [
        { type: 'TrustRevoked', data: { role: key, source: before?.roles?.[key]?.git ?? null } },
      ]),
  );
}
