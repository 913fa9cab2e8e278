import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import { monitor, ofKind, type RtnetlinkChange } from '../../src/index.js';

describe('ofKind over monitor()', () => {
  it('types monitor(...).pipe(ofKind("route")) as the route change alone', () => {
    // Built, never subscribed: a cold source opens nothing until then.
    const routes = monitor({ kinds: ['route'] }).pipe(ofKind('route'));
    expectTypeOf(routes).toEqualTypeOf<Observable<Extract<RtnetlinkChange, { kind: 'route' }>>>();
    expectTypeOf<Parameters<typeof ofKind<RtnetlinkChange, 'route'>>>().toEqualTypeOf<'route'[]>();
  });
});
