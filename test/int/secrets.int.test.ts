import { statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, describe, expect, it } from 'vitest';
import { catalog } from '../../src/events/catalog/index.js';
import { isSecretKey } from '../../src/logging/redact.js';
import { assertNoCanaries, canaryEnv, findCanaries, plantCanary } from '../helpers/canary.js';
import type { Canary } from '../helpers/canary.js';
import { runCli } from '../helpers/run-cli.js';
import { tempHome, testApp } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
} & Record<string, unknown>;

interface Field {
  readonly path: string;
  readonly key: string;
  readonly freeForm: boolean;
}

/** Every field of a payload schema, with whether it accepts arbitrary JSON (nothing checks its keys). */
function fields(schema: JsonSchema, path: string): Field[] {
  const out: Field[] = [];
  const nested = [...(schema.anyOf ?? []), ...(schema.oneOf ?? []), ...(schema.allOf ?? [])];
  for (const option of nested) out.push(...fields(option, path));
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    const childPath = `${path}.${key}`;
    const meaningful = Object.keys(child).filter((k) => !['default', 'description'].includes(k));
    out.push({ path: childPath, key, freeForm: meaningful.length === 0 });
    out.push(...fields(child, childPath));
  }
  if (schema.items) out.push(...fields(schema.items, `${path}[]`));
  if (
    schema.additionalProperties === true ||
    (typeof schema.additionalProperties === 'object' && Object.keys(schema.additionalProperties).length === 0)
  ) {
    out.push({ path: `${path}.*`, key: '*', freeForm: true });
  } else if (typeof schema.additionalProperties === 'object') {
    out.push(...fields(schema.additionalProperties, `${path}.*`));
  }
  return out;
}

const catalogFields = Object.entries(catalog).flatMap(([type, definition]) =>
  fields(z.toJSONSchema(definition.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema, type),
);

/**
 * Payload fields that take arbitrary JSON, each with the reason no secret value reaches it. Adding one
 * needs the same: whoever writes it must put names, sources and fingerprints there, never values.
 */
const FREE_FORM_ALLOWED: Record<string, string> = {
  'InstanceLaunchRequested.contract.*':
    'the session contract lists credential names and sources, never values',
  'WorkspaceChanged.changes[].before': 'config diffs carry env values as their source or sha256 fingerprint',
  'WorkspaceChanged.changes[].after': 'config diffs carry env values as their source or sha256 fingerprint',
  'ConfigChanged.changes[].before': 'config diffs carry env values as their source or sha256 fingerprint',
  'ConfigChanged.changes[].after': 'config diffs carry env values as their source or sha256 fingerprint',
};

function dbFiles(home: TempHome): string[] {
  const db = join(home.env.JACKIN_HOME!, 'jackin.db');
  return [db, `${db}-wal`, `${db}-shm`];
}

describe('secrets guard: the event catalog', () => {
  it('declares no secret-shaped payload field', () => {
    expect(catalogFields.length).toBeGreaterThan(20);
    const secretShaped = catalogFields.filter((field) => field.key !== '*' && isSecretKey(field.key));
    expect(secretShaped.map((field) => field.path)).toEqual([]);
  });

  it('has no free-form payload field beyond the reviewed ones', () => {
    const freeForm = catalogFields.filter((field) => field.freeForm).map((field) => field.path);
    expect(freeForm).toContain('InstanceLaunchRequested.contract.*'); // the walk sees free-form fields
    const unreviewed = freeForm.filter((path) => !(path in FREE_FORM_ALLOWED));
    expect(
      unreviewed,
      'new free-form event fields: add them to FREE_FORM_ALLOWED with why no secret value can reach them',
    ).toEqual([]);
  });
});

describe('secrets guard: the event store', () => {
  let home: TempHome | undefined;
  afterEach(() => home?.cleanup());

  it('drops secret-shaped keys a caller smuggles into a payload, so the database never holds them', async () => {
    home = tempHome();
    const canaries = ['apiKey', 'token', 'password', 'ANTHROPIC_API_KEY'].map((key) => plantCanary(key));
    const smuggled = Object.fromEntries(canaries.map((canary) => [canary.label, canary.value]));
    const app = testApp(home);
    const { store } = await app.eventLog();
    await store.append(
      'instance-s1',
      [
        {
          type: 'InstanceLaunchRequested',
          data: {
            instanceId: 's1',
            name: 's1',
            role: 'agent-smith',
            workspace: 'w',
            runtime: 'claude',
            ...smuggled,
          },
        },
        {
          type: 'InstanceLaunchFailed',
          data: { instanceId: 's1', stage: 'auth', reason: 'missing', ...smuggled },
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    const stored = await store.readStream('instance-s1');
    expect(stored).toHaveLength(2);
    for (const event of stored)
      for (const canary of canaries) expect(event.data).not.toHaveProperty(canary.label);
    // While the connection is open the rows sit in the WAL; after close, in the main file.
    assertNoCanaries(dbFiles(home), canaries);
    await app.close();
    assertNoCanaries(dbFiles(home), canaries);
  });

  it('finds a canary that does reach the log (the scan reads the database and its WAL)', async () => {
    home = tempHome();
    const canary = plantCanary('IN_A_REASON');
    const app = testApp(home);
    const { store } = await app.eventLog();
    await store.append(
      'instance-s2',
      [{ type: 'InstanceContainerLost', data: { instanceId: 's2', reason: canary.value } }],
      { expectedVersion: 'any' },
    );
    expect(findCanaries(dbFiles(home), [canary]).length).toBeGreaterThan(0);
    await app.close();
  });
});

describe('secrets guard: credentials in the environment of a CLI invocation', () => {
  let home: TempHome | undefined;
  afterEach(() => home?.cleanup());

  it('never reach the database, its WAL, the log files, stdout or stderr, even with --debug', async () => {
    home = tempHome();
    const app = testApp(home);
    const { store } = await app.eventLog();
    await store.append(
      'instance-e1',
      [
        {
          type: 'InstanceLaunchRequested',
          data: { instanceId: 'e1', name: 'e1', role: 'r', workspace: 'w', runtime: 'claude' },
        },
      ],
      { expectedVersion: 'no_stream' },
    );
    await app.close();

    const canaries: Canary[] = [
      plantCanary('ANTHROPIC_API_KEY', 'sk-ant-api03-'),
      plantCanary('CLAUDE_CODE_OAUTH_TOKEN', 'sk-ant-oat01-'),
      plantCanary('OPENAI_API_KEY', 'sk-proj-'),
      plantCanary('GITHUB_TOKEN', 'ghp_'),
      plantCanary('GH_TOKEN'),
      plantCanary('AMP_API_KEY'),
      plantCanary('AWS_SECRET_ACCESS_KEY'),
      plantCanary('OP_SERVICE_ACCOUNT_TOKEN'),
    ];
    const env = { ...home.env, ...canaryEnv(canaries), DOCKER_HOST: 'unix:///nonexistent/docker.sock' };
    const invocations = [
      ['doctor', '--json', '--debug'],
      ['history', '--json', '--debug'],
      ['history', '--type', 'NoSuchType', '--debug'],
      ['events', 'verify', '--debug'],
      ['events', 'export', '--debug'],
      ['events', 'rebuild', '--debug'],
    ];
    let output = '';
    for (const args of invocations) {
      const result = runCli(args, env);
      output += `${result.stdout}\n${result.stderr}\n`;
    }
    expect(output).toContain('"doctor"'); // the commands did run and print
    for (const canary of canaries) expect(output).not.toContain(canary.value);
    const logs = join(home.env.JACKIN_HOME!, 'logs');
    expect(statSync(join(logs, 'jackin.log')).size).toBeGreaterThan(0); // the scan below is not vacuous
    assertNoCanaries([home.env.JACKIN_HOME!], canaries);
  });
});
