import { from, map, mergeMap, type ObservableInput, type OperatorFunction, of, take } from 'rxjs';
import { QueuedPacket } from './QueuedPacket.js';
import type { Verdict } from './verdicts.js';

/**
 * What {@link applyVerdicts} emits for each packet once its verdict is given.
 *
 * @example
 * declare const applied$: Observable<AppliedVerdict>;
 * applied$.subscribe(({ packet, verdict }) => console.log(packet.id, verdict.kind));
 */
export interface AppliedVerdict {
  readonly packet: QueuedPacket;
  readonly verdict: Verdict;
}

/**
 * Verdicts as a stream: for each {@link QueuedPacket} of an `nfqueue()` stream, subscribes
 * to `decide(packet)` — a value, a Promise, an Observable — takes its first {@link Verdict},
 * gives it to the packet (`packet.setVerdict`) and emits `{ packet, verdict }`. Decisions
 * run concurrently (up to `concurrent`, like `mergeMap`) and finish in any order; the packet
 * waits in the ring meanwhile. Other values (an `Overrun`) pass through at once.
 *
 * A `decide` that completes without a value leaves its packet waiting (the stream's default
 * verdict reaches it when the stream ends); one that errors errors the stream, and then
 * every waiting packet gets the default verdict. A bad verdict errors the stream with the
 * TypeError `setVerdict` throws. Completes when the source and every decision completed.
 *
 * @example
 * declare function lookup(packet: QueuedPacket): Promise<boolean>;
 * nfqueue({ queue: 0 })
 *   .pipe(applyVerdicts((p) => lookup(p).then((bad): Verdict => ({ kind: bad ? 'drop' : 'accept' }))))
 *   .subscribe((a) => console.log(a instanceof Overrun ? 'lost' : `${a.packet.id} ${a.verdict.kind}`));
 */
export function applyVerdicts<T>(
  decide: (packet: QueuedPacket) => ObservableInput<Verdict>,
  options: { concurrent?: number } = {},
): OperatorFunction<T, AppliedVerdict | Exclude<T, QueuedPacket>> {
  if (typeof decide !== 'function') throw new TypeError('decide: expected a function');
  const concurrent = options.concurrent ?? Number.POSITIVE_INFINITY;
  if (
    !(concurrent === Number.POSITIVE_INFINITY || (Number.isInteger(concurrent) && concurrent >= 1))
  ) {
    throw new TypeError(`concurrent: expected a positive integer, got ${String(concurrent)}`);
  }
  return mergeMap((value: T) => {
    if (!(value instanceof QueuedPacket)) return of(value as Exclude<T, QueuedPacket>);
    const packet = value;
    return from(decide(packet)).pipe(
      take(1),
      map((verdict): AppliedVerdict => {
        packet.setVerdict(verdict);
        return { packet, verdict };
      }),
    );
  }, concurrent);
}
