import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertNoCanaries, canaryEnv, findCanaries, plantCanary } from '../helpers/canary.js';

describe('secrets guard helper', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('plants unique, recognisable values', () => {
    const a = plantCanary('ANTHROPIC_API_KEY');
    const b = plantCanary('ANTHROPIC_API_KEY');
    expect(a.value).toMatch(/^jackin-canary-anthropic-api-key-[0-9a-f]{32}$/);
    expect(a.value).not.toBe(b.value);
    expect(plantCanary('GH', 'ghp_').value).toMatch(/^ghp_[0-9a-f]{32}$/);
    expect(canaryEnv([a])).toEqual({ ANTHROPIC_API_KEY: a.value });
  });

  it('finds a canary raw, base64-encoded at any alignment, hex-encoded and in UTF-16, in nested dirs', () => {
    dir = mkdtempSync(join(tmpdir(), 'canary-'));
    const canary = plantCanary('TOKEN');
    const nested = join(dir, 'a');
    mkdirSync(nested);
    writeFileSync(join(dir, 'raw.log'), `line one\nprefix ${canary.value} suffix\n`);
    for (const pad of ['', 'x', 'xy']) {
      writeFileSync(
        join(nested, `b64-${pad.length}.txt`),
        Buffer.from(`${pad}${canary.value}tail`).toString('base64'),
      );
    }
    writeFileSync(join(nested, 'hex.txt'), Buffer.from(canary.value).toString('hex'));
    writeFileSync(join(nested, 'utf16.bin'), Buffer.from(`zz${canary.value}`, 'utf16le'));
    const leaks = findCanaries([dir], [canary]);
    const byFile = new Map(leaks.map((leak) => [leak.file.slice(dir!.length + 1), leak]));
    expect([...byFile.keys()].sort()).toEqual(
      ['a/b64-0.txt', 'a/b64-1.txt', 'a/b64-2.txt', 'a/hex.txt', 'a/utf16.bin', 'raw.log'].sort(),
    );
    expect(byFile.get('raw.log')).toMatchObject({ line: 2, offset: 16, encoding: 'utf8' });
    expect(byFile.get('a/hex.txt')?.encoding).toBe('hex');
    expect(() => assertNoCanaries([dir!], [canary])).toThrow(/TOKEN \(utf8\) in .*raw\.log:2 at byte 16/);
  });

  it('passes clean files and refuses to pass when there is nothing to scan', () => {
    const root = (dir = mkdtempSync(join(tmpdir(), 'canary-')));
    writeFileSync(join(root, 'clean.log'), 'nothing secret here\n');
    expect(() => assertNoCanaries([root], [plantCanary('X')])).not.toThrow();
    expect(() => assertNoCanaries([join(root, 'missing')], [plantCanary('X')])).toThrow(/nothing to scan/);
  });
});
