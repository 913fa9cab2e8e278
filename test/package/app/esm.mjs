// A consumer's ESM module: nlring's sources must be the consumer's rxjs Observables.
import { createRequire } from 'node:module';
import { dumpLinks, Frame, NetlinkError } from 'nlring';
import { Frame as RingFrame } from 'nlring/ring';
import { SimulatedKernel } from 'nlring/testing';
import { Observable } from 'rxjs';

const require = createRequire(import.meta.url);
const copies = new Set([
  require.resolve('rxjs'),
  createRequire(require.resolve('nlring')).resolve('rxjs'),
]);
console.log(
  JSON.stringify({
    observable: dumpLinks() instanceof Observable,
    rxjsCopies: copies.size,
    // One class per concept across the entries (the bundle's shared chunks).
    oneFrameClass: Frame === RingFrame,
    entry: require.resolve('nlring').split('/node_modules/nlring/')[1],
    simulated: typeof SimulatedKernel,
    errors: typeof NetlinkError,
  }),
);
