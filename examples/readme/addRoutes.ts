import {
  count,
  defer,
  finalize,
  from,
  ignoreElements,
  map,
  merge,
  type Observable,
  take,
} from 'rxjs';
import { NLMSG_ERROR } from '../../src/constants.js';
import {
  fromRing,
  ofType,
  openNetlinkSocket,
  parseMessages,
  raiseErrors,
  rtnetlink,
  toTxRing,
} from '../../src/index.js';
import { chooseGeometry } from '../../src/ring.js';

/**
 * Adds routes through the TX ring — one frame per request, one `sendto(NULL, 0)` per burst —
 * and counts the kernel's acknowledgements; the first refusal errors with its errno and text.
 * The kernel answers a whole burst at once, so the receive buffer must hold every ack: a lost
 * one errors the stream (`overruns: 'error'`) rather than leave it waiting.
 */
export function addRoutes(
  netns: string,
  routes: rtnetlink.RouteRequestOptions[],
): Observable<number> {
  return defer(() => {
    const socket = openNetlinkSocket({
      protocol: 'route',
      netns,
      tx: chooseGeometry({ messageSize: 256, memory: 64 * 1024 }),
      receiveBufferSize: 4 << 20,
    });
    const requests = from(routes).pipe(
      map((route, i) => rtnetlink.addRouteRequest({ ...route, seq: i + 1 })),
      toTxRing(socket),
    );
    const acks = fromRing(socket, { overruns: 'error' }).pipe(
      parseMessages(),
      ofType(NLMSG_ERROR),
      raiseErrors(),
      take(routes.length),
      count(),
    );
    return merge(acks, requests.pipe(ignoreElements())).pipe(finalize(() => socket.close()));
  });
}
