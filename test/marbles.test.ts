import { map } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { marbles } from './marbles.js';

describe('marble harness', () => {
  it(
    'maps values and asserts subscription timing',
    marbles((m) => {
      const source = m.cold('-a-b-|', { a: 1, b: 2 });
      const subs = '^----!';
      m.expect(source.pipe(map((x) => x * 10))).toBeObservable('-x-y-|', { x: 10, y: 20 });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it('fails when values differ', () => {
    const run = marbles((m) => {
      m.expect(m.cold('-a|', { a: 1 })).toBeObservable('-a|', { a: 2 });
    });
    expect(run).toThrow();
  });
});
