import { type Observable, of } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { ofKind } from '../../src/operators/ofKind.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';

type Change =
  | { kind: 'link'; ifindex: number }
  | { kind: 'route'; dst: string }
  | { kind: 'address'; local: string };

const overrun = new Overrun(3, 1);
const values: Record<string, unknown> = {
  l: { kind: 'link', ifindex: 2 },
  r: { kind: 'route', dst: 'default' },
  a: { kind: 'address', local: '192.0.2.1' },
  o: overrun,
};

describe('ofKind', () => {
  it.each([
    { name: 'one kind', kinds: ['route'] as const, out: '---r----|', subs: '^-------!' },
    { name: 'two kinds', kinds: ['link', 'route'] as const, out: '-l-r----|', subs: '^-------!' },
    {
      name: 'a kind that never comes',
      kinds: ['address'] as const,
      out: '-------a|',
      subs: '^-------!',
    },
  ])(
    'keeps $name, drops the rest and Overruns, with the source subscription',
    ({ kinds, out, subs }) =>
      marbles((m) => {
        const source = m.cold('-l-r-o-a|', values) as Observable<Change | Overrun>;
        const kept: Observable<unknown> = source.pipe(
          ofKind<Change | Overrun, (typeof kinds)[number]>(...kinds),
        );
        m.expect(kept).toBeObservable(out, values);
        m.expect(source).toHaveSubscriptions(subs);
      })(),
  );

  it('passes an error through and stops at unsubscribe', () =>
    marbles((m) => {
      const source = m.cold('-r-#', values) as Observable<Change | Overrun>;
      const routes: Observable<unknown> = source.pipe(ofKind('route'));
      m.expect(routes).toBeObservable('-r-#', values);
      const long = m.cold('-r-l-r-', values) as Observable<Change | Overrun>;
      const longRoutes: Observable<unknown> = long.pipe(ofKind('route'));
      m.expect(longRoutes, '^--!').toBeObservable('-r--', values);
      m.expect(long).toHaveSubscriptions('^--!');
    })());

  it('narrows the union type', () => {
    const changes: Observable<Change | Overrun> = of(values.r as Change | Overrun);
    expectTypeOf(changes.pipe(ofKind('route'))).toEqualTypeOf<
      Observable<{ kind: 'route'; dst: string }>
    >();
    expectTypeOf(changes.pipe(ofKind('route', 'link'))).toEqualTypeOf<
      Observable<{ kind: 'link'; ifindex: number } | { kind: 'route'; dst: string }>
    >();
  });

  it.each([
    { name: 'no kinds', kinds: [], text: 'ofKind: kinds must be at least one kind, got an array' },
    { name: 'an empty kind', kinds: [''], text: 'ofKind: kinds[0] must be a non-empty string' },
    {
      name: 'a number',
      kinds: [5],
      text: 'ofKind: kinds[0] must be a non-empty string of at most 64 bytes, got 5',
    },
  ])('throws a TypeError at call time for $name', ({ kinds, text }) => {
    expect(() => ofKind(...(kinds as never[]))).toThrow(TypeError);
    expect(() => ofKind(...(kinds as never[]))).toThrow(text);
  });
});
