import { type Observer, type Subscriber, Subscription } from 'rxjs';

/**
 * The base of nlring's hot-path operators (`parseMessages`, the message filters, `takeDump`):
 * one object that is both the Observer handed to the source and the Subscription linked to
 * the subscriber below (rxjs uses such an object as the subscriber itself), so a value costs
 * one call and no wrapper chain. `next` is the operator's own; errors and completion pass
 * straight down, once, and close it, which stops a synchronous source at once.
 */
export abstract class OperatorObserver<T, R> extends Subscription implements Observer<T> {
  protected readonly destination: Subscriber<R>;

  constructor(destination: Subscriber<R>) {
    super();
    this.destination = destination;
    destination.add(this);
  }

  abstract next(value: T): void;

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
