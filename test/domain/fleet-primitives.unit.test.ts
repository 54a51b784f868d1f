import { describe, expect, it } from 'vitest';
import { parseAgentTags } from '../../src/kernel/agent-tags.js';
import { linkStream, parseLinkUrl } from '../../src/domain/link.js';
import { formatSize, parseSize } from '../../src/kernel/size.js';
import { ResourceBudget } from '../../src/workers/budget.js';
import { summarizeChecks } from '../../src/github/client.js';
import { headlessArgv } from '../../src/engine/task/headless.js';

describe('agent tags', () => {
  it('parses pr, issue and status tags anywhere in a line', () => {
    expect(
      parseAgentTags(
        'opened <jackin:pr url="https://github.com/o/r/pull/12"/> for <jackin:issue url="https://github.com/o/r/issues/3" />',
      ),
    ).toEqual([
      { kind: 'pr', url: 'https://github.com/o/r/pull/12' },
      { kind: 'issue', url: 'https://github.com/o/r/issues/3' },
    ]);
    expect(parseAgentTags('<jackin:status state="blocked" reason="needs &quot;creds&quot;"/>')).toEqual([
      { kind: 'status', state: 'blocked', reason: 'needs "creds"' },
    ]);
    // One parser serves the task runner (lines) and the status watcher (screens): no reason, no key.
    expect(parseAgentTags("<jackin:status state='done'/>")).toEqual([{ kind: 'status', state: 'done' }]);
  });

  it('ignores malformed tags and unknown states', () => {
    expect(parseAgentTags('<jackin:pr/> <jackin:status state="sleepy"/> <jackin:pr url="x"')).toEqual([]);
    expect(parseAgentTags('<jackin:pr url="javascript:alert(1)"/> <jackin:issue url="not a url"/>')).toEqual(
      [],
    );
    expect(parseAgentTags('plain output')).toEqual([]);
  });
});

describe('links', () => {
  it('parses GitHub and GitHub Enterprise URLs into link refs and stream ids', () => {
    expect(parseLinkUrl('https://github.com/Octo/App/pull/7?x=1')).toEqual({
      url: 'https://github.com/Octo/App/pull/7',
      repo: 'Octo/App',
      number: 7,
      kind: 'pull',
    });
    expect(parseLinkUrl('https://ghe.corp/o/r/issues/9')).toMatchObject({ kind: 'issue', number: 9 });
    expect(parseLinkUrl('https://example.com/nothing')).toBeUndefined();
    expect(linkStream({ repo: 'Octo/App', number: 7 })).toBe('link-octo/app#7');
  });

  it('summarises check runs: a failure wins, then anything unfinished', () => {
    expect(summarizeChecks([])).toBeUndefined();
    expect(
      summarizeChecks([
        { status: 'completed', conclusion: 'success' },
        { status: 'in_progress', conclusion: null },
      ]),
    ).toBe('pending');
    expect(
      summarizeChecks([
        { status: 'in_progress', conclusion: null },
        { status: 'completed', conclusion: 'failure' },
      ]),
    ).toBe('failure');
    expect(summarizeChecks([{ status: 'completed', conclusion: 'skipped' }])).toBe('success');
  });
});

describe('resource budget', () => {
  it('admits tasks only while their limits fit, and frees on release', () => {
    const budget = new ResourceBudget({ memoryBytes: parseSize('2g'), cpus: 3 });
    const task = { memoryBytes: parseSize('1g'), cpus: 1 };
    budget.reserve(task);
    expect(budget.fitsNow(task)).toBe(true);
    budget.reserve(task);
    expect(budget.fitsNow(task)).toBe(false);
    expect(budget.fitsNow({ cpus: 1 })).toBe(true);
    budget.release(task);
    expect(budget.fitsNow(task)).toBe(true);
    expect(budget.whyNever({ memoryBytes: parseSize('3g') })).toMatch(/needs 3g of memory, the budget is 2g/);
  });

  it('parses and formats sizes', () => {
    expect(parseSize('512m')).toBe(512 * 1024 ** 2);
    expect(parseSize('1.5G')).toBe(1.5 * 1024 ** 3);
    expect(formatSize(parseSize('4g'))).toBe('4g');
    expect(() => parseSize('lots', '--memory')).toThrow(/invalid --memory 'lots'/);
    expect(() => parseSize('0g')).toThrow(/invalid/);
  });
});

describe('headless commands', () => {
  it('substitutes {prompt} or appends the prompt', () => {
    expect(headlessArgv('claude', 'do x', {})).toEqual([
      'claude',
      '--dangerously-skip-permissions',
      '-p',
      'do x',
    ]);
    const defined = {
      mine: { command: ['mine'], headless: ['mine', '--run'], credential_files: [], state_dirs: [] },
    };
    expect(headlessArgv('mine', 'do x', defined)).toEqual(['mine', '--run', 'do x']);
    expect(() => headlessArgv('nope', 'x', {})).toThrow(/no headless command/);
  });
});
