import {
  type MonoTypeOperatorFunction,
  Observable,
  type Observer,
  type Subscriber,
  Subscription,
} from 'rxjs';
import { NetlinkMessage } from '../netlink/NetlinkMessage.js';

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
      const filter = new MessageFilter<T>(subscriber, keep);
      subscriber.add(filter);
      source.subscribe(filter);
    });
}

class MessageFilter<T> extends Subscription implements Observer<T> {
  private readonly destination: Subscriber<T>;
  private readonly keep: (message: NetlinkMessage) => boolean;

  constructor(destination: Subscriber<T>, keep: (message: NetlinkMessage) => boolean) {
    super();
    this.destination = destination;
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

  error(error: unknown): void {
    if (this.closed) return;
    this.destination.error(error);
    this.unsubscribe();
  }

  complete(): void {
    if (this.closed) return;
    this.destination.complete();
    this.unsubscribe();
  }
}
