import { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { errnos } from '../../errors/errno.js';
import { NetlinkError } from '../../errors/NetlinkError.js';
import { AF_UNSPEC, RTM_NEWLINK, RTNLGRP_LINK } from '../../families/rtnetlink/constants.js';
import type { Link } from '../../families/rtnetlink/link.js';
import { decodeLink } from '../../families/rtnetlink/link.js';
import { getLinkRequest } from '../../families/rtnetlink/linkChange.js';
import { NLMSG_ERROR } from '../../netlink/constants.js';
import { ackError, readAck } from '../../netlink/control.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { parseMessages } from '../../operators/parseMessages.js';
import { Overrun } from '../../ring/Overrun.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { fromRing } from '../fromRing.js';
import { deviceOption } from './configureRequest.js';
import { checkRtnetlinkOptions } from './options.js';

/**
 * Options of {@link waitForLink}.
 *
 * @example
 * waitForLink({ dev: 'v0', operstate: 'UP', timeout: 5000, netns: 'blue' });
 */
export interface WaitForLinkOptions {
  /** The link by name: it need not exist yet. */
  dev?: string | undefined;
  /** The link by ifindex (instead of `dev`). */
  ifindex?: number | undefined;
  /** The `operstate` to wait for (UP, DOWN, LOWERLAYERDOWN, UNKNOWN, …); default: any. */
  operstate?: string | undefined;
  /** Wait also for IFF_UP set (true) or clear (false). */
  up?: boolean | undefined;
  /** Milliseconds to wait before failing with ETIMEDOUT (default: no limit). */
  timeout?: number | undefined;
  /** Watch this named network namespace instead of the process's own. */
  netns?: string | undefined;
  /** Opens the endpoint, given the groups to join (a simulated kernel's socket in tests). */
  open?: ((groups: readonly number[]) => RingEndpoint) | undefined;
}

/** Link notifications are small: 2 KiB frames (a bigger one arrives as COPY). */
const MESSAGE_SIZE = 2048 - 24;
const RING_MEMORY = 1 << 16;

/**
 * Waits until a link exists and matches — its `operstate` (and IFF_UP, if asked) — and
 * emits it once ({@link Link}, decoded as `dumpLinks` does) and completes: the loop that
 * scripts write by hand after `createLink` or `setLink({ up: true })`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` that joins RTNLGRP_LINK,
 * then asks for the link (a snapshot), so that no change between the two is missed; then
 * every link notification is checked. A link that does not exist yet is waited for; a lost
 * notification (an overrun) asks again. The socket and the timer are released exactly once,
 * at completion, error or unsubscribe. Errors with a NetlinkError: ETIMEDOUT after
 * `timeout` ms (`detail` says what was awaited and the last state seen), or what opening the
 * socket or the kernel reports. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(createLink({ dev: 'v0', kind: 'veth', peer: { dev: 'v1' } }));
 * await lastValueFrom(setLink({ dev: 'v0', up: true }));
 * const link = await lastValueFrom(waitForLink({ dev: 'v0', operstate: 'LOWERLAYERDOWN', timeout: 2000 }));
 */
export function waitForLink(options: WaitForLinkOptions): Observable<Link> {
  const fn = 'waitForLink';
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  const dev = deviceOption(fn, o);
  const operstate = check.string('options.operstate', o.operstate, 31);
  const up = check.boolean('options.up', o.up);
  const timeout = check.number('options.timeout', o.timeout, 0, 2 ** 31 - 1);
  const checked = checkRtnetlinkOptions(
    fn,
    { netns: o.netns, open: o.open },
    { messageSize: MESSAGE_SIZE, ringMemory: RING_MEMORY },
  );
  const wanted = [
    typeof dev === 'string' ? `"${dev}"` : `ifindex ${dev}`,
    operstate === undefined ? 'present' : `operstate ${operstate}`,
    up === undefined ? '' : up ? 'up' : 'down',
  ]
    .filter((s) => s !== '')
    .join(', ');
  const matches = (link: Link): boolean =>
    link.deleted !== true &&
    (operstate === undefined || link.operstate === operstate) &&
    (up === undefined || link.flags.includes('UP') === up);

  return new Observable<Link>((subscriber) => {
    let endpoint: RingEndpoint;
    try {
      endpoint = checked.open([RTNLGRP_LINK]);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    let seq = 0;
    let last: Link | undefined;
    const ask = (): void => {
      seq++;
      endpoint.send(
        typeof dev === 'string'
          ? getLinkRequest({ ifname: dev, seq })
          : getLinkRequest({ ifindex: dev, seq }),
      );
    };
    const ours = (message: NetlinkMessage): boolean => {
      if (message.type !== RTM_NEWLINK) return false;
      if (message.view.getUint8(message.payloadOffset) !== AF_UNSPEC) return false;
      return true;
    };
    const onMessage = (message: NetlinkMessage): void => {
      if (message.group === 0) {
        if (message.seq !== seq) return;
        if (message.type === NLMSG_ERROR) {
          const ack = readAck(message.view, message.offset);
          // ENODEV: not there yet; a notification will say when it is.
          if (ack.errno !== 0 && ack.errno !== errnos.ENODEV) subscriber.error(ackError(ack));
          return;
        }
      }
      if (!ours(message)) return;
      const link = decodeLink(message);
      if (typeof dev === 'string' ? link.ifname !== dev : link.ifindex !== dev) return;
      last = link;
      if (matches(link)) {
        subscriber.next(link);
        subscriber.complete();
      }
    };
    const subscription = fromRing(endpoint)
      .pipe(parseMessages())
      .subscribe({
        next: (value) => {
          try {
            if (value instanceof Overrun) ask();
            else onMessage(value);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => {
            const seen =
              last === undefined
                ? 'no such link seen'
                : `last seen operstate ${last.operstate ?? 'none'}, flags ${last.flags.join(',')}`;
            subscriber.error(
              new NetlinkError({
                op: 'request',
                errno: errnos.ETIMEDOUT,
                detail: `${fn}: ${wanted} not reached after ${timeout} ms (${seen})`,
              }),
            );
          }, timeout);
    if (!subscriber.closed) {
      try {
        ask();
      } catch (error) {
        subscriber.error(error);
      }
    }
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      subscription.unsubscribe();
      endpoint.close();
    };
  });
}
