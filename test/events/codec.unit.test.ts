import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { catalog } from '../../src/events/catalog/index.js';
import { liftPayload, validateNewEvent } from '../../src/events/codec.js';
import { defineEvent } from '../../src/events/define.js';
import type { EventData, NewEvent, RecordedEvent } from '../../src/events/envelope.js';

describe('schema versions and upcasters', () => {
  // A v3 event whose v1 payload had `exit` and v2 renamed it to `exitCode`, then v3 added `oomKilled`.
  const definition = defineEvent({
    version: 3,
    description: 'test',
    schema: () => z.object({ exitCode: z.number(), oomKilled: z.boolean() }),
    upcasters: {
      1: (data) => {
        const { exit, ...rest } = data as { exit: number };
        return { ...rest, exitCode: exit };
      },
      2: (data) => ({ ...(data as object), oomKilled: false }),
    },
  });

  it('lifts an old payload one version at a time', () => {
    expect(liftPayload('T', definition, 1, { exit: 137 })).toEqual({
      version: 3,
      data: { exitCode: 137, oomKilled: false },
    });
    expect(liftPayload('T', definition, 2, { exitCode: 1 })).toEqual({
      version: 3,
      data: { exitCode: 1, oomKilled: false },
    });
    expect(liftPayload('T', definition, 3, { exitCode: 0, oomKilled: true })).toEqual({
      version: 3,
      data: { exitCode: 0, oomKilled: true },
    });
  });

  it('fails loudly when an upcaster is missing', () => {
    const broken = defineEvent({ version: 2, description: 'x', schema: () => z.object({}) });
    expect(() => liftPayload('Broken', broken, 1, {})).toThrow(
      /no upcaster for Broken from schema version 1/,
    );
  });
});

describe('the catalog', () => {
  it('names every event type in the past tense with a description and a positive version', () => {
    for (const [type, definition] of Object.entries(catalog)) {
      expect(type, type).toMatch(/^[A-Z][A-Za-z]+(ed|Built|Lost|Ready|Set|Run|Made|Sent)$/);
      expect(definition.version, type).toBeGreaterThan(0);
      expect(definition.description.length, type).toBeGreaterThan(5);
    }
  });

  it('validates payloads and applies schema defaults', () => {
    expect(validateNewEvent({ type: 'InstanceEjectRequested', data: { instanceId: 'a' } })).toEqual({
      type: 'InstanceEjectRequested',
      version: 1,
      data: { instanceId: 'a', purge: false },
    });
  });

  it('types payloads per event type (type-level)', () => {
    expectTypeOf<EventData<'InstanceExited'>>().toEqualTypeOf<{
      instanceId: string;
      exitCode: number;
      oomKilled: boolean;
    }>();
    expectTypeOf<RecordedEvent<'AgentStatusChanged'>['data']['state']>().toEqualTypeOf<
      'working' | 'blocked' | 'idle' | 'done'
    >();
    // @ts-expect-error: a payload of the wrong type for its event is a compile error
    const wrong: NewEvent = { type: 'InstanceExited', data: { instanceId: 'a', exitCode: 'x' } };
    expect(wrong.type).toBe('InstanceExited');
  });
});

describe('event schemas are built on first use', () => {
  it('defineEvent builds the schema once, when it is first read', () => {
    let builds = 0;
    const definition = defineEvent({
      version: 1,
      description: 'lazy',
      schema: () => {
        builds += 1;
        return z.object({ n: z.number() });
      },
    });
    expect(builds).toBe(0);
    expect(definition.schema.safeParse({ n: 1 }).success).toBe(true);
    expect(definition.schema.safeParse({ n: 'x' }).success).toBe(false);
    expect(builds).toBe(1);
  });
});
