// A consumer's code off Linux (run after notLinux.mjs): the library, its subpaths, the
// codecs and the operators import without koffi; a marble test of the consumer's own
// pipeline runs against nlring/testing; a socket says in one line that it needs Linux.
import { createRequire } from 'node:module';
import { dumpLinks, ofKind } from 'nlring';
import { rtnetlinkKernel, rtnetlinkWorld } from 'nlring/testing';
import { lastValueFrom, map, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';

const links = await lastValueFrom(
  dumpLinks({ open: rtnetlinkKernel(rtnetlinkWorld()).open }).pipe(
    map((l) => l.ifname),
    toArray(),
  ),
);

const marbles = [];
new TestScheduler((actual, expected) => {
  marbles.push(JSON.stringify(actual) === JSON.stringify(expected));
}).run(({ cold, expectObservable }) => {
  const events = cold('-a-b-c|', {
    a: { kind: 'link', type: 'new' },
    b: { kind: 'route', type: 'new' },
    c: { kind: 'route', type: 'del' },
  });
  expectObservable(
    events.pipe(
      ofKind('route'),
      map((e) => e.type),
    ),
  ).toBe('---b-c|', { b: 'new', c: 'del' });
});

const socket = await lastValueFrom(dumpLinks()).then(
  () => 'opened',
  (e) => String(e.message),
);

const require = createRequire(import.meta.url);
const koffiLoaded = Object.keys(require.cache).some((path) => /[\\/]koffi[\\/]/.test(path));
console.log(
  JSON.stringify({
    platform: process.platform,
    links,
    marbles,
    socket,
    koffiAttempts: globalThis.koffiAttempts,
    koffiLoaded,
  }),
);
