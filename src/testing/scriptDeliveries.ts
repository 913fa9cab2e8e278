import { type Observable, type Subscription, takeWhile } from 'rxjs';
import type { DeliverOptions, SimSocket } from './SimSocket.js';

/**
 * One scripted step: a datagram to deliver with default options, a datagram with its
 * header fields and path, or a function that does anything to the socket (`(s) => s.abort()`,
 * `(s) => s.setError(ENOBUFS)`, a dump...).
 */
export type ScriptStep =
  | Uint8Array
  | (DeliverOptions & { data: Uint8Array })
  | ((socket: SimSocket) => void);

/**
 * Drives a simulated socket's kernel side from an Observable — typically a marble
 * `cold()` — so that deliveries happen in (virtual) time. It subscribes at once and
 * performs each step as its value arrives; since a delivery wakes the socket's watcher
 * synchronously, a source over the socket emits on the same frame. Steps that arrive after
 * the socket was closed (the pipeline under test tore it down) are ignored and end the
 * script. Returns the subscription, to stop the script early.
 *
 * @example
 * // with rxjs-marbles: it('delivers', marbles((m) => { ... }))
 * declare function marbles(test: (m: { cold: Function; expect: Function }) => void): void;
 * const kernel = new SimulatedKernel();
 * const msg1 = buildMessage({ type: 16, seq: 1 });
 * const msg2 = buildMessage({ type: 16, seq: 2, payload: new Uint8Array(4) });
 * marbles((m) => {
 *   const socket = kernel.open();
 *   scriptDeliveries(socket, m.cold('-a-b', { a: msg1, b: { data: msg2, group: 1 } }));
 *   m.expect(fromRing(socket).pipe(map((f) => (f instanceof Frame ? f.length : 0)))).toBeObservable('-x-y', { x: 16, y: 20 });
 * });
 */
export function scriptDeliveries(socket: SimSocket, script: Observable<ScriptStep>): Subscription {
  return script.pipe(takeWhile(() => !socket.closed)).subscribe((step) => {
    if (typeof step === 'function') step(socket);
    else if (step instanceof Uint8Array) socket.deliver(step);
    else {
      const { data, ...options } = step;
      socket.deliver(data, options);
    }
  });
}
