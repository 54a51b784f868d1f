import { describe, expect, it } from 'vitest';
import { jackinLayer, mapLegacyConstruct, roleKeyOf } from '../../src/images/derived-image.js';
import { canonicalJson, recipeHash } from '../../src/images/recipe.js';
import { parseBaseFlags } from '../../src/cli/image-options.js';

describe('recipe hash', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,1]},"b":1}');
    expect(recipeHash({ a: 1, b: 2 })).toBe(recipeHash({ b: 2, a: 1 }));
  });
  it('changes when any input changes', () => {
    const base = { uid: 1000, gid: 1000, runtimes: [{ name: 'stub', version: '0.1.0' }], ca: ['ab'] };
    const hash = recipeHash(base);
    expect(recipeHash({ ...base, uid: 1001 })).not.toBe(hash);
    expect(recipeHash({ ...base, runtimes: [{ name: 'stub', version: '0.1.1' }] })).not.toBe(hash);
    expect(recipeHash({ ...base, ca: ['ab', 'cd'] })).not.toBe(hash);
  });
});

describe('jackin layer', () => {
  it('moves the agent user to the host identity and runs as it', () => {
    const layer = jackinLayer({ uid: 501, gid: 20 }, [{ name: 'stub', version: '0.1.0' }]);
    expect(layer).toContain('/jackin/runtime/setup-user.sh 501 20');
    expect(layer).toContain('USER 501:20');
    expect(layer).toContain('JACKIN_RUNTIMES=stub');
    expect(layer).toContain('COPY .jackin/tmux.conf /etc/tmux.conf');
    expect(layer).toMatch(/ENTRYPOINT \["\/usr\/bin\/tini", "--", "\/jackin\/runtime\/entrypoint.sh"\]/);
  });
  it('derives a safe role key from a directory name', () => {
    expect(roleKeyOf('/x/Agent_Smith')).toBe('agent-smith');
    expect(roleKeyOf('/x/__')).toBe('role');
  });
});

describe('image base flags', () => {
  it('takes flags over env over defaults', () => {
    expect(parseBaseFlags({}, {})).toEqual({
      base: 'auto',
      bootstrap: { suite: 'bookworm', mirror: 'http://deb.debian.org/debian' },
      dind: { source: 'build' },
    });
    expect(parseBaseFlags({ dindImage: 'docker:27-dind' }, {}).dind).toEqual({
      source: 'registry',
      reference: 'docker:27-dind',
    });
    expect(
      parseBaseFlags({ suite: 'trixie' }, { JACKIN_DEBIAN_SUITE: 'sid', JACKIN_IMAGE_BASE: 'offline' }),
    ).toEqual({
      base: 'offline',
      bootstrap: { suite: 'trixie', mirror: 'http://deb.debian.org/debian' },
      dind: { source: 'build' },
    });
  });
  it('rejects a bad base source or mirror as a usage error', () => {
    expect(() => parseBaseFlags({ base: 'cloud' }, {})).toThrow(/invalid --base/);
    expect(() => parseBaseFlags({ mirror: 'ftp://x' }, {})).toThrow(/invalid --mirror/);
  });
});

describe('legacy construct FROM', () => {
  it('points projectjackin/construct:<ver>-trixie at the local construct and leaves other FROMs alone', () => {
    const text =
      'FROM golang:1.22 AS build\nRUN go build\nFROM projectjackin/construct:0.35-trixie\nCOPY --from=build /x /x\n';
    expect(mapLegacyConstruct(text)).toBe(
      'FROM golang:1.22 AS build\nRUN go build\nFROM jackin/construct:0.1\nCOPY --from=build /x /x\n',
    );
  });
});
