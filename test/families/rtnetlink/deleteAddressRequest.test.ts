import { describe, expect, it } from 'vitest';
import { decodeAddress } from '../../../src/families/rtnetlink/decodeAddress.js';
import { deleteAddressRequest } from '../../../src/families/rtnetlink/deleteAddressRequest.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';

// Expected bytes: what iproute2 6.1 sends for the same command (captured with strace).

/** ip addr del 10.5.0.1/24 dev v0 */
// biome-ignore format: byte literals four per line
const addressDelete = Uint8Array.from([
  0x28, 0x00, 0x00, 0x00, // nlmsg_len 40
  0x15, 0x00, 0x05, 0x00, // type 21, flags 0x005
  0x06, 0x00, 0x00, 0x00, // seq 6
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x02, 0x18, 0x00, 0x00, // ifaddrmsg: family 2, prefixlen 24, flags 0x00, scope 0
  0x03, 0x00, 0x00, 0x00, // ifa_index 3
  0x08, 0x00, 0x02, 0x00, // IFA_LOCAL, nla_len 8
  0x0a, 0x05, 0x00, 0x01,
  0x08, 0x00, 0x01, 0x00, // IFA_ADDRESS, nla_len 8
  0x0a, 0x05, 0x00, 0x01,
]);

describe('deleteAddressRequest', () => {
  it('writes what ip address del sends', () => {
    expect(deleteAddressRequest({ ifindex: 3, address: '10.5.0.1/24', seq: 6 })).toEqual(
      addressDelete,
    );
  });

  it('round-trips through decodeAddress', () => {
    const decoded = decodeAddress(
      NetlinkMessage.from(
        deleteAddressRequest({ ifindex: 3, address: '10.6.0.1', peer: '10.6.0.2' }),
      ),
    );
    expect(decoded).toMatchObject({
      deleted: true,
      ifindex: 3,
      local: '10.6.0.1',
      address: '10.6.0.2',
      prefixlen: 32,
      scope: 'global',
    });
  });

  it.each([
    { name: 'label', options: { ifindex: 3, address: '10.5.0.1/24', label: 'v0:a' } },
    { name: 'broadcast', options: { ifindex: 3, address: '10.5.0.1/24', broadcast: '10.5.0.255' } },
    { name: 'validLifetime', options: { ifindex: 3, address: '10.5.0.1/24', validLifetime: 5 } },
    { name: 'replace', options: { ifindex: 3, address: '10.5.0.1/24', replace: false } },
  ])('throws a TypeError for the add-only option $name', ({ name, options }) => {
    const build = () =>
      deleteAddressRequest(options as unknown as Parameters<typeof deleteAddressRequest>[0]);
    expect(build).toThrow(TypeError);
    expect(build).toThrow(`deleteAddressRequest: options.${name} must be absent when deleting`);
  });
});
