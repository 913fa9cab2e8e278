import type { Observable } from 'rxjs';
import { addAddressRequest } from '../../families/rtnetlink/addAddressRequest.js';
import type { AddressRequestOptions } from '../../families/rtnetlink/addressMessage.js';
import type { RtnetlinkRequestOptions } from './RtnetlinkRequestOptions.js';
import { rtnetlinkRequest } from './rtnetlinkRequest.js';

/**
 * Adds an address to an interface, as `ip address add` does: NLM_F_CREATE | NLM_F_EXCL, or
 * NLM_F_REPLACE with `replace: true`. Takes {@link addAddressRequest}'s options plus
 * `netns` / `open`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket (or calls `options.open`), sends the
 * request, emits one `undefined` when the kernel acknowledges it and completes; the socket is
 * closed exactly once. A refusal errors the stream with a NetlinkError (op `request`): the
 * errno, its name in `code` and the kernel's extended-ack text in `extack` — `EEXIST` for an
 * address that is already there, `ENODEV` for an unknown `ifindex`. Bad options throw a
 * TypeError at once, naming the option.
 *
 * @example
 * await lastValueFrom(addAddress({ ifindex: 3, address: '10.1.0.1/24', netns: 'blue' }));
 * addAddress({ ifindex: 3, address: '10.1.0.1/24' }).subscribe({
 *   error: (e) => { if (e instanceof NetlinkError && e.code === 'EEXIST') console.log(e.extack); },
 * });
 */
export function addAddress(
  options: AddressRequestOptions & RtnetlinkRequestOptions,
): Observable<void> {
  return rtnetlinkRequest('addAddress', options, addAddressRequest);
}
