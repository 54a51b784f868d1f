import { describe, expect, it } from 'vitest';
import { VersionConflictError } from '../../src/events/expected-version.js';
import type { EventStore } from '../../src/events/store.js';
import { JackinError } from '../../src/kernel/errors.js';
import { launchRequested } from '../helpers/instance-events.js';

/** The EventStore port's contract: every adapter (in-memory, SQLite) must pass it. */
export function eventStoreContract(
  name: string,
  create: () => { store: EventStore; close?: () => void },
): void {
  describe(`EventStore contract: ${name}`, () => {
    const withStore = async (body: (store: EventStore) => Promise<void>): Promise<void> => {
      const { store, close } = create();
      try {
        await body(store);
      } finally {
        close?.();
      }
    };

    it('appends to a new stream with no_stream and numbers versions from 1', () =>
      withStore(async (store) => {
        const result = await store.append('instance-a', [launchRequested('a')], {
          expectedVersion: 'no_stream',
        });
        expect(result.nextVersion).toBe(1);
        expect(result.lastPosition).toBe(1);
        expect(await store.streamVersion('instance-a')).toBe(1);
        expect(await store.streamVersion('instance-b')).toBe(0);
      }));

    it('rejects no_stream on an existing stream with a typed conflict', () =>
      withStore(async (store) => {
        await store.append('instance-a', [launchRequested('a')], { expectedVersion: 'no_stream' });
        const failure = store.append('instance-a', [launchRequested('a')], { expectedVersion: 'no_stream' });
        await expect(failure).rejects.toBeInstanceOf(VersionConflictError);
        await expect(failure).rejects.toMatchObject({
          code: 'version_conflict',
          actual: 1,
          expected: 'no_stream',
        });
      }));

    it('checks stream_exists strictly', () =>
      withStore(async (store) => {
        await expect(
          store.append('instance-a', [launchRequested('a')], { expectedVersion: 'stream_exists' }),
        ).rejects.toBeInstanceOf(VersionConflictError);
        await store.append('instance-a', [launchRequested('a')], { expectedVersion: 'any' });
        const ok = await store.append(
          'instance-a',
          [{ type: 'InstanceAttached', data: { instanceId: 'a', session: 'main' } }],
          { expectedVersion: 'stream_exists' },
        );
        expect(ok.nextVersion).toBe(2);
      }));

    it('checks an exact version', () =>
      withStore(async (store) => {
        await store.append('instance-a', [launchRequested('a')], { expectedVersion: 0 });
        await expect(
          store.append('instance-a', [launchRequested('a')], { expectedVersion: 0 }),
        ).rejects.toBeInstanceOf(VersionConflictError);
        const ok = await store.append('instance-a', [launchRequested('a')], { expectedVersion: 1 });
        expect(ok.nextVersion).toBe(2);
      }));

    it('writes nothing when a batch conflicts or a payload is invalid', () =>
      withStore(async (store) => {
        await store.append('instance-a', [launchRequested('a')], { expectedVersion: 'any' });
        await expect(
          store.append('instance-a', [launchRequested('a'), launchRequested('a')], { expectedVersion: 5 }),
        ).rejects.toBeInstanceOf(VersionConflictError);
        const invalid = store.append(
          'instance-a',
          // @ts-expect-error: a payload that does not match the catalog schema
          [{ type: 'InstanceExited', data: { instanceId: 'a', exitCode: 'boom' } }],
          { expectedVersion: 'any' },
        );
        await expect(invalid).rejects.toBeInstanceOf(JackinError);
        await expect(invalid).rejects.toMatchObject({ code: 'invalid_event' });
        expect(await store.lastPosition()).toBe(1);
      }));

    it('rejects unknown event types', () =>
      withStore(async (store) => {
        await expect(
          // @ts-expect-error: not in the catalog
          store.append('x', [{ type: 'Nope', data: {} }], { expectedVersion: 'any' }),
        ).rejects.toMatchObject({ code: 'unknown_event_type' });
      }));

    it('reads a stream in version order and the log in global order with filters', () =>
      withStore(async (store) => {
        await store.append('instance-a', [launchRequested('a')], { expectedVersion: 'any' });
        await store.append('instance-b', [launchRequested('b')], { expectedVersion: 'any' });
        await store.append(
          'instance-a',
          [
            { type: 'InstanceNetworkCreated', data: { instanceId: 'a', networkId: 'n', networkName: 'net' } },
            { type: 'InstanceExited', data: { instanceId: 'a', exitCode: 0, oomKilled: false } },
          ],
          { expectedVersion: 1 },
        );
        const stream = await store.readStream('instance-a');
        expect(stream.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
        expect(stream.map((e) => e.type)).toEqual([
          'InstanceLaunchRequested',
          'InstanceNetworkCreated',
          'InstanceExited',
        ]);
        const all = await store.readAll();
        expect(all.map((e) => e.globalPosition)).toEqual([1, 2, 3, 4]);
        expect((await store.readAll({ after: 2 })).map((e) => e.globalPosition)).toEqual([3, 4]);
        expect((await store.readAll({ types: ['InstanceExited'] })).map((e) => e.globalPosition)).toEqual([
          4,
        ]);
        expect((await store.readAll({ streamIds: ['instance-b'] })).map((e) => e.streamId)).toEqual([
          'instance-b',
        ]);
        expect((await store.readAll({ limit: 2, tail: true })).map((e) => e.globalPosition)).toEqual([3, 4]);
        expect((await store.readAll({ limit: 2 })).map((e) => e.globalPosition)).toEqual([1, 2]);
      }));

    it('reads by time range', () =>
      withStore(async (store) => {
        for (const id of ['a', 'b', 'c'])
          await store.append(`instance-${id}`, [launchRequested(id)], { expectedVersion: 'any' });
        const all = await store.readAll();
        const middle = all[1]!.recordedAt;
        const ranged = await store.readAll({ since: middle, until: middle });
        expect(ranged.map((e) => e.streamId)).toEqual(['instance-b']);
      }));

    it('stamps metadata: event id, correlation id, causation id, actor, host, version', () =>
      withStore(async (store) => {
        const first = await store.append('instance-a', [launchRequested('a')], { expectedVersion: 'any' });
        const causation = first.events[0]!.metadata.event_id;
        const second = await store.append(
          'instance-a',
          [{ type: 'InstanceAttached', data: { instanceId: 'a', session: 'main' } }],
          { expectedVersion: 1, causationId: causation, actor: 'reconciler' },
        );
        const meta = second.events[0]!.metadata;
        expect(meta.causation_id).toBe(causation);
        expect(meta.actor).toBe('reconciler');
        expect(meta.correlation_id).toBe(first.events[0]!.metadata.correlation_id);
        expect(meta.event_id).not.toBe(causation);
        expect(meta.host.length).toBeGreaterThan(0);
        expect(meta.jackin_version).toMatch(/\d+\.\d+\.\d+/);
      }));

    it('chains hashes from position to position', () =>
      withStore(async (store) => {
        await store.append('instance-a', [launchRequested('a'), launchRequested('a')], {
          expectedVersion: 'any',
        });
        const [one, two] = await store.readAll();
        expect(one!.prevHash).toBe('0'.repeat(64));
        expect(two!.prevHash).toBe(one!.hash);
      }));
  });
}
