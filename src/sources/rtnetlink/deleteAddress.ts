import type { Observable } from 'rxjs';
import type { AddressRequestOptions } from '../../families/rtnetlink/addressMessage.js';
import { deleteAddressRequest } from '../../families/rtnetlink/deleteAddressRequest.js';
import type { RtnetlinkRequestOptions } from './RtnetlinkRequestOptions.js';
import { rtnetlinkRequest } from './rtnetlinkRequest.js';

/**
 * Removes an address from an interface, as `ip address del` does. Takes
 * {@link deleteAddressRequest}'s options (`ifindex`, `address` with its prefix length,
 * `peer`) plus `netns` / `open`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket (or calls `options.open`), sends the
 * request, emits one `undefined` when the kernel acknowledges it and completes; the socket is
 * closed exactly once. A refusal errors the stream with a NetlinkError (op `request`, errno
 * name in `code`, extended ack in `extack`): `EADDRNOTAVAIL` when there is no such address.
 * Bad options throw a TypeError at once, naming the option.
 *
 * @example
 * await lastValueFrom(deleteAddress({ ifindex: 3, address: '10.1.0.1/24' }));
 */
export function deleteAddress(
  options: Pick<AddressRequestOptions, 'ifindex' | 'address' | 'peer' | 'seq'> &
    RtnetlinkRequestOptions,
): Observable<void> {
  return rtnetlinkRequest('deleteAddress', options, deleteAddressRequest);
}
