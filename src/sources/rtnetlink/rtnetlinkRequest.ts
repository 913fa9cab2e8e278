import { endWith, ignoreElements, type Observable } from 'rxjs';
import { request } from '../request.js';
import { checkRtnetlinkOptions } from './checkRtnetlinkOptions.js';
import type { RtnetlinkRequestOptions } from './RtnetlinkRequestOptions.js';

/** A request socket's ring: acknowledgements are small (a big one arrives as COPY). */
const ACK_MESSAGE_SIZE = 4096 - 24;
const ACK_RING_MEMORY = 1 << 14;

/**
 * Sends one rtnetlink request that asks for an acknowledgement: `build` gets the caller's
 * options without `netns` and `open` (and `seq` 1 unless given) and is called at once, so a
 * bad option throws its TypeError here. The Observable emits one `undefined` at the kernel's
 * acknowledgement and completes, or errors with the kernel's NetlinkError. Cold: one
 * endpoint per subscription, closed exactly once.
 *
 * @example
 * rtnetlinkRequest('addAddress', options, addAddressRequest);
 */
export function rtnetlinkRequest<O extends object>(
  fn: string,
  options: O & RtnetlinkRequestOptions,
  build: (fields: O) => Uint8Array,
): Observable<void> {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${fn}: options must be an object, got ${String(options)}`);
  }
  const { netns, open, ...fields } = options;
  const checked = checkRtnetlinkOptions(
    fn,
    { netns, open },
    { messageSize: ACK_MESSAGE_SIZE, ringMemory: ACK_RING_MEMORY },
  );
  const message = build({ seq: 1, ...fields } as unknown as O);
  return request(() => checked.open([]), message).pipe(ignoreElements(), endWith(undefined));
}
