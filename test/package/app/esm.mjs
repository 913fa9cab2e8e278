// A consumer's ESM module: nlring's sources must be the consumer's rxjs Observables.
import { createRequire } from 'node:module';
import { dumpLinks } from 'nlring';
import { Observable } from 'rxjs';

const require = createRequire(import.meta.url);
const copies = new Set([
  require.resolve('rxjs'),
  createRequire(require.resolve('nlring')).resolve('rxjs'),
]);
console.log(
  JSON.stringify({ observable: dumpLinks() instanceof Observable, rxjsCopies: copies.size }),
);
