import { filter, type OperatorFunction } from 'rxjs';
import { argumentChecker } from '../errors/check.js';

/** The members of the union `T` whose `kind` is one of `K`. */
export type OfKind<T, K extends string> = Extract<T, { readonly kind: K }>;

/** The `kind` values that the members of union `T` carry. */
export type KindOf<T> = T extends { readonly kind: infer K extends string } ? K : never;

/**
 * Keeps the values whose `kind` is one of `kinds` and narrows the stream's type to them, so
 * `monitor({ ... }).pipe(ofKind('route'))` is an `Observable<RouteChange>` — what
 * `filter((e) => e.kind === 'route')` cannot do for a union. Values without a `kind` (an
 * `Overrun`) are dropped; keep them with `ofKind('route', 'overrun')` where the union has
 * such a member, or branch before. Completes and errors with its source.
 *
 * Throws a TypeError at once unless `kinds` holds at least one non-empty string.
 *
 * @example
 * monitor({ kinds: ['link', 'route'] }).pipe(ofKind('route')).subscribe((c) => console.log(c.route.dst));
 */
export function ofKind<T, K extends KindOf<T>>(...kinds: K[]): OperatorFunction<T, OfKind<T, K>> {
  const check = argumentChecker('ofKind');
  if (kinds.length === 0) check.fail('kinds', 'at least one kind', kinds);
  for (const [i, kind] of kinds.entries()) check.string(`kinds[${i}]`, kind, 64);
  const wanted = new Set<string>(kinds);
  return filter(
    (value: T): value is OfKind<T, K> =>
      typeof value === 'object' &&
      value !== null &&
      'kind' in value &&
      typeof value.kind === 'string' &&
      wanted.has(value.kind),
  );
}
