import { type MonoTypeOperatorFunction, Observable, type Subscriber } from 'rxjs';
import { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { OperatorObserver } from './OperatorObserver.js';

/**
 * The engine of the message filters (`ofType`, `ofGroup`, `filterMessages`): keeps the
 * messages for which `keep` returns true and passes every other value untouched. It is a
 * single observer per subscription — no wrapper chain, no allocation per value — because it
 * runs once per message on the hot path; a throwing `keep` errors the stream, as rxjs
 * `filter` does. Completes and errors with its source; unsubscribing stops a synchronous
 * source at once.
 *
 * @example
 * source.pipe(keepMessages((m) => m.type === RTM_NEWLINK));
 */
export function keepMessages<T>(
  keep: (message: NetlinkMessage) => boolean,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      source.subscribe(new MessageFilter<T>(subscriber, keep));
    });
}

class MessageFilter<T> extends OperatorObserver<T, T> {
  private readonly keep: (message: NetlinkMessage) => boolean;

  constructor(destination: Subscriber<T>, keep: (message: NetlinkMessage) => boolean) {
    super(destination);
    this.keep = keep;
  }

  next(value: T): void {
    if (this.closed) return;
    if (value instanceof NetlinkMessage) {
      let kept: boolean;
      try {
        kept = this.keep(value);
      } catch (error) {
        this.error(error);
        return;
      }
      if (!kept) return;
    }
    this.destination.next(value);
  }
}
