import { describe, expect, it } from 'vitest';
import { byCodeUnit } from '../../src/kernel/order.js';

describe('byCodeUnit', () => {
  it('orders by code unit, not by locale: upper case first, `_` after capitals and before lower case', () => {
    expect(['b', 'ab', 'a_b', 'B', 'A_B', 'AB'].sort(byCodeUnit)).toEqual([
      'AB',
      'A_B',
      'B',
      'a_b',
      'ab',
      'b',
    ]);
    expect(byCodeUnit('x', 'x')).toBe(0);
  });
});
