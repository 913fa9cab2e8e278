import { describe, expect, it } from 'vitest';
import {
  IPS_ASSURED,
  IPS_CONFIRMED,
  IPS_DYING,
  IPS_HW_OFFLOAD,
  IPS_SEEN_REPLY,
  IPS_SRC_NAT,
  TCP_CONNTRACK_ESTABLISHED,
  TCP_CONNTRACK_SYN_SENT2,
  TCP_CONNTRACK_TIME_WAIT,
} from '../../../src/families/netfilter/constants.js';
import {
  conntrackStatusNames,
  ipProtocolName,
  nfFamilyName,
  nfHookName,
  sctpStateName,
  tcpStateName,
} from '../../../src/families/netfilter/names.js';

describe('names as conntrack(8) prints them', () => {
  it.each([
    { name: 'NONE', state: 0, text: 'NONE' },
    { name: 'ESTABLISHED', state: TCP_CONNTRACK_ESTABLISHED, text: 'ESTABLISHED' },
    { name: 'TIME_WAIT', state: TCP_CONNTRACK_TIME_WAIT, text: 'TIME_WAIT' },
    { name: 'SYN_SENT2 (the old LISTEN)', state: TCP_CONNTRACK_SYN_SENT2, text: 'SYN_SENT2' },
    { name: 'past the known states', state: 10, text: 'UNKNOWN' },
  ])('tcpStateName: $name', ({ state, text }) => {
    expect(tcpStateName(state)).toBe(text);
  });

  it.each([
    { name: 'CLOSED', state: 1, text: 'CLOSED' },
    { name: 'ESTABLISHED', state: 4, text: 'ESTABLISHED' },
    { name: 'HEARTBEAT_ACKED', state: 9, text: 'HEARTBEAT_ACKED' },
    { name: 'past the known states', state: 10, text: 'UNKNOWN' },
  ])('sctpStateName: $name', ({ state, text }) => {
    expect(sctpStateName(state)).toBe(text);
  });

  it.each([
    { name: 'tcp', proto: 6, text: 'tcp' },
    { name: 'udp', proto: 17, text: 'udp' },
    { name: 'icmp', proto: 1, text: 'icmp' },
    { name: 'icmpv6', proto: 58, text: 'icmpv6' },
    { name: 'sctp', proto: 132, text: 'sctp' },
    { name: 'ipv6-in-ipv4, untracked by protocol', proto: 41, text: 'unknown' },
  ])('ipProtocolName: $name', ({ proto, text }) => {
    expect(ipProtocolName(proto)).toBe(text);
  });

  it.each([
    { name: 'none', status: 0, names: [] },
    {
      name: 'an assured connection',
      status: IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED,
      names: ['SEEN_REPLY', 'ASSURED', 'CONFIRMED'],
    },
    { name: 'a dying SNAT one', status: IPS_SRC_NAT | IPS_DYING, names: ['SRC_NAT', 'DYING'] },
    { name: 'hardware offload', status: IPS_HW_OFFLOAD, names: ['HW_OFFLOAD'] },
    { name: 'a bit the header does not name', status: 0x80000000, names: ['BIT31'] },
  ])('conntrackStatusNames: $name', ({ status, names }) => {
    expect(conntrackStatusNames(status)).toEqual(names);
  });
});

describe('netfilter families and hooks by name, as the command prints them', () => {
  it.each([
    { name: 'NFPROTO_IPV4', call: () => nfFamilyName(2), text: 'inet' },
    { name: 'NFPROTO_IPV6', call: () => nfFamilyName(10), text: 'inet6' },
    { name: 'NFPROTO_ARP', call: () => nfFamilyName(3), text: 'arp' },
    { name: 'NFPROTO_NETDEV', call: () => nfFamilyName(5), text: 'netdev' },
    { name: 'NFPROTO_BRIDGE', call: () => nfFamilyName(7), text: 'bridge' },
    { name: 'an unnamed family', call: () => nfFamilyName(12), text: '12' },
    { name: 'NF_INET_PRE_ROUTING', call: () => nfHookName(0), text: 'prerouting' },
    { name: 'NF_INET_LOCAL_OUT', call: () => nfHookName(3), text: 'output' },
    { name: 'NF_INET_POST_ROUTING', call: () => nfHookName(4), text: 'postrouting' },
    { name: 'NF_INET_INGRESS', call: () => nfHookName(5), text: 'ingress' },
    { name: 'an unnamed hook', call: () => nfHookName(9), text: '9' },
  ])('$name is $text', ({ call, text }) => {
    expect(call()).toBe(text);
  });
});
