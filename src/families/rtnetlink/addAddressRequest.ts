import { type AddressRequestOptions, addressMessage } from './addressMessage.js';
import { RTM_NEWADDR } from './constants.js';

/**
 * An RTM_NEWADDR request that adds `options.address` to interface `options.ifindex`, as
 * `ip address add` does: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL (EEXIST if
 * the address is there), or NLM_F_REPLACE instead of NLM_F_EXCL with `replace: true`. The
 * kernel answers with an acknowledgement (an NLMSG_ERROR with errno 0, or the error).
 * Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(addAddressRequest({ ifindex: 3, address: '10.1.0.1/24', label: 'v0:web', seq: 5 }));
 */
export function addAddressRequest(options: AddressRequestOptions): Uint8Array {
  return addressMessage('addAddressRequest', RTM_NEWADDR, options, true);
}
