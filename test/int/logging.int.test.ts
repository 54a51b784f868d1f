import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { CENSOR, LOG_FILE_NAME, createLogger } from '../../src/logging/logger.js';
import { assertNoCanaries, findCanaries, plantCanary } from '../helpers/canary.js';
import { runCli } from '../helpers/run-cli.js';
import { tempHome } from '../helpers/temp-home.js';
import type { TempHome } from '../helpers/temp-home.js';

// Doctor is the command that logs without needing an engine; an unreachable one keeps it fast.
const NO_DOCKER = { DOCKER_HOST: 'unix:///nonexistent/docker.sock' };

function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function logFile(home: TempHome): string {
  return join(home.env.JACKIN_HOME!, 'logs', LOG_FILE_NAME);
}

class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

describe('logging destinations (built CLI)', () => {
  let home: TempHome | undefined;
  afterEach(() => home?.cleanup());

  it('writes JSON lines to the log file and nothing to stderr without --debug', () => {
    home = tempHome();
    const result = runCli(['doctor', '--json'], { ...home.env, ...NO_DOCKER });
    expect(JSON.parse(result.stdout)).toHaveProperty('doctor');
    expect(jsonLines(result.stderr)).toEqual([]);
    const lines = readFileSync(logFile(home), 'utf8').trimEnd().split('\n');
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    const finished = lines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((l) => l.msg === 'doctor finished');
    expect(finished).toMatchObject({ level: 30, name: 'jackin' });
    expect(typeof finished?.correlation_id).toBe('string');
  });

  it.each([
    ['--debug', ['doctor', '--json', '--debug'], {}],
    ['JACKIN_DEBUG=1', ['doctor', '--json'], { JACKIN_DEBUG: '1' }],
  ])('with %s also writes the log lines to stderr, never to stdout', (_how, args, extraEnv) => {
    home = tempHome();
    const result = runCli(args, { ...home.env, ...NO_DOCKER, ...extraEnv });
    // stdout holds exactly the one --json document: a log line there would break JSON.parse.
    expect(JSON.parse(result.stdout)).toHaveProperty('doctor.checks');
    expect(result.stdout).not.toContain('"msg"');
    const stderrLogs = jsonLines(result.stderr);
    expect(stderrLogs.map((line) => line.msg)).toContain('doctor finished');
    const fileLogs = jsonLines(readFileSync(logFile(home), 'utf8'));
    expect(fileLogs.map((line) => line.msg)).toContain('doctor finished');
  });

  it('keeps working, with a warning on stderr, when the log directory cannot be created', () => {
    home = tempHome();
    mkdirSync(home.env.JACKIN_HOME!, { recursive: true });
    writeFileSync(join(home.env.JACKIN_HOME!, 'logs'), 'a file where the log dir should be');
    const result = runCli(['doctor', '--json'], { ...home.env, ...NO_DOCKER });
    expect(JSON.parse(result.stdout)).toHaveProperty('doctor.checks');
    expect(result.stderr).toContain('jackin: warning: cannot write logs to');
  });
});

describe('logger redaction', () => {
  let home: TempHome | undefined;
  afterEach(() => {
    if (home) chmodSync(home.dir, 0o700);
    home?.cleanup();
  });

  it('never writes a value under a secret-shaped key, at any depth, to the file or stderr', () => {
    home = tempHome();
    const logDir = join(home.dir, 'logs');
    const stderr = new Capture();
    const keyed = [
      'ANTHROPIC_API_KEY',
      'githubToken',
      'clientSecret',
      'password',
      'Authorization',
      'env',
    ].map((k) => plantCanary(k));
    const shaped = [plantCanary('GITHUB_TOKEN', 'ghp_'), plantCanary('ANTHROPIC', 'sk-ant-api03-')];
    const logger = createLogger({ logDir, debug: true, stderr }).child({
      session: { apiKey: keyed[0]!.value },
    });
    logger.info(
      {
        ANTHROPIC_API_KEY: keyed[0]!.value,
        auth: { githubToken: keyed[1]!.value, nested: [{ clientSecret: keyed[2]!.value }] },
        login: { password: keyed[3]!.value },
        headers: { Authorization: `Bearer ${keyed[4]!.value}` },
        env: { SOME_VAR: keyed[5]!.value },
        tokenSource: 'op://vault/item/field',
        apiKeyName: 'ANTHROPIC_API_KEY',
      },
      'launching',
    );
    logger.warn(`clone failed for https://x:${shaped[0]!.value}@github.com/o/r.git`);
    logger.error({ err: new Error(`engine said: bad key ${shaped[1]!.value}`) }, 'request failed');
    logger.flush();

    assertNoCanaries([logDir], [...keyed, ...shaped]);
    expect(findCanaries([], [])).toEqual([]);
    for (const canary of [...keyed, ...shaped]) expect(stderr.text).not.toContain(canary.value);
    const lines = jsonLines(readFileSync(join(logDir, LOG_FILE_NAME), 'utf8'));
    expect(lines[0]).toMatchObject({
      ANTHROPIC_API_KEY: CENSOR,
      auth: { githubToken: CENSOR, nested: [{ clientSecret: CENSOR }] },
      env: CENSOR,
      session: { apiKey: CENSOR },
      // Names and sources are what jackin logs instead of values: they must survive.
      tokenSource: 'op://vault/item/field',
      apiKeyName: 'ANTHROPIC_API_KEY',
    });
    expect(lines[1]?.msg).toBe(`clone failed for https://x:${CENSOR}@github.com/o/r.git`);
    expect((lines[2]?.err as { message: string }).message).toBe(`engine said: bad key ${CENSOR}`);
  });

  it('lets the secrets guard find a value logged under an innocent key (the scanner is not blind)', () => {
    home = tempHome();
    const logDir = join(home.dir, 'logs');
    const canary = plantCanary('LEAKED');
    const logger = createLogger({ logDir, debug: false });
    logger.info({ note: 'first line' }, 'one');
    logger.info({ note: canary.value }, 'two');
    logger.flush();
    const leaks = findCanaries([logDir], [canary]);
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({ file: join(logDir, LOG_FILE_NAME), line: 2, encoding: 'utf8' });
    expect(() => assertNoCanaries([logDir], [canary])).toThrow(/LEAKED \(utf8\) in .*jackin\.log:2/);
  });
});
