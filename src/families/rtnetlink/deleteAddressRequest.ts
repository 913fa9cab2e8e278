import { type AddressRequestOptions, addressMessage } from './addressMessage.js';
import { RTM_DELADDR } from './constants.js';

/**
 * An RTM_DELADDR request (NLM_F_REQUEST | NLM_F_ACK) that removes `options.address` (with
 * its prefix length, and `peer` for a point-to-point address) from interface
 * `options.ifindex`, as `ip address del` does. The kernel answers with an acknowledgement
 * (EADDRNOTAVAIL when there is no such address). Only `ifindex`, `address`, `peer` and
 * `seq` apply; bad or add-only options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(deleteAddressRequest({ ifindex: 3, address: '10.1.0.1/24', seq: 6 }));
 */
export function deleteAddressRequest(
  options: Pick<AddressRequestOptions, 'ifindex' | 'address' | 'peer' | 'seq'>,
): Uint8Array {
  return addressMessage(
    'deleteAddressRequest',
    RTM_DELADDR,
    options as AddressRequestOptions,
    false,
  );
}
