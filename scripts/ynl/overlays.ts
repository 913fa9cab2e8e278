// Corrections to the kernel's YNL specs, written from the uapi headers (facts), applied to
// the parsed spec before it is normalized. Each overlay names the header line that proves it.
// The specs themselves stay data, unchanged, in ../shared/ynl/specs.

type Raw = Record<string, unknown>;

/** One correction: which family, why (the header line), and the edit. */
export interface Overlay {
  readonly family: string;
  readonly proof: string;
  readonly apply: (spec: Raw) => void;
}

/** The overlays, in the order they apply. */
export const OVERLAYS: readonly Overlay[] = [
  {
    family: 'ethtool',
    proof:
      'linux/ethtool_netlink.h (line 729): ETHTOOL_A_STATS_GRP, one nest per group asked for (enum ETHTOOL_STATS_*, lines 737-740); the kernel documentation (Documentation/networking/ethtool-netlink.rst, STATS_GET) marks it "+", an array, and this kernel answers a STATS_GET for four groups with four of them (test/e2e/ynl-compare.test.ts); the spec has grp as a single nest',
    apply: (spec) => {
      const sets = spec['attribute-sets'] as Raw[];
      const attrs = sets.find((s) => s.name === 'stats')?.attributes as Raw[] | undefined;
      const grp = attrs?.find((a) => a.name === 'grp');
      if (grp !== undefined) grp['multi-attr'] = true;
    },
  },
  {
    family: 'rt-route',
    proof:
      'linux/rtnetlink.h (lines 400-414, 433-438): RTA_MULTIPATH is an array of struct rtnexthop { unsigned short rtnh_len; unsigned char rtnh_flags; unsigned char rtnh_hops; int rtnh_ifindex; }, each followed by its own route attributes up to rtnh_len (RTNH_DATA), the next at RTNH_ALIGN(rtnh_len). The spec has multipath as plain binary',
    apply: (spec) => {
      const definitions = spec.definitions as Raw[];
      const sets = spec['attribute-sets'] as Raw[];
      if (definitions.some((d) => d.name === 'rtnexthop')) return;
      const header = 'linux/rtnetlink.h';
      definitions.push({
        name: 'rtnexthop',
        type: 'struct',
        header,
        members: [
          { name: 'rtnh-len', type: 'u16' },
          { name: 'rtnh-flags', type: 'u8' },
          { name: 'rtnh-hops', type: 'u8' },
          { name: 'rtnh-ifindex', type: 's32' },
        ],
      });
      const attrs = sets.find((s) => s.name === 'route-attrs')?.attributes as Raw[] | undefined;
      const multipath = attrs?.find((a) => a.name === 'multipath');
      if (multipath === undefined) return;
      multipath.struct = 'rtnexthop';
      multipath['nested-attributes'] = 'route-attrs';
      multipath['sized-entries'] = true;
    },
  },
  {
    family: 'nlctrl',
    proof:
      'linux/netlink.h (6.1, lines 366-367): NL_POLICY_TYPE_ATTR_PAD, then NL_POLICY_TYPE_ATTR_MASK — pad is 11 and mask 12; the spec lists mask before pad',
    apply: (spec) => {
      const sets = spec['attribute-sets'] as Raw[];
      const policy = sets.find((s) => s.name === 'policy-attrs');
      const attrs = policy?.attributes as Raw[] | undefined;
      const mask = attrs?.find((a) => a.name === 'mask');
      const pad = attrs?.find((a) => a.name === 'pad');
      if (attrs === undefined || mask === undefined || pad === undefined) return;
      const rest = attrs.filter((a) => a !== mask && a !== pad);
      pad.value = 11;
      mask.value = 12;
      attrs.splice(0, attrs.length, ...rest, pad, mask);
    },
  },
  {
    family: 'rt-link',
    proof:
      'linux/veth.h (lines 5-9): VETH_INFO_PEER = 1, its payload a struct ifinfomsg then link attributes (the kernel parses it with rtnl_nla_parse_ifinfomsg); linux/if_link.h (lines 618-649): IFLA_MACVLAN_* 1-8, enum macvlan_mode 1/2/4/8/16, enum macvlan_macaddr_mode, MACVLAN_FLAG_NOPROMISC 1 and NODST 2; (lines 787-834): IFLA_VXLAN_* 1-30, struct ifla_vxlan_port_range of two __be16, enum ifla_vxlan_df. Widths as the kernel policies (macvlan_policy, vxlan_policy) take them; the spec has no veth, macvlan or vxlan format',
    apply: (spec) => {
      const definitions = spec.definitions as Raw[];
      const sets = spec['attribute-sets'] as Raw[];
      const subs = spec['sub-messages'] as Raw[];
      if (sets.some((s) => s.name === 'linkinfo-vxlan-attrs')) return;
      const header = 'linux/if_link.h';
      definitions.push(
        {
          name: 'macvlan-mode',
          type: 'enum',
          'name-prefix': 'macvlan-mode-',
          header,
          entries: [
            { name: 'private', value: 1 },
            { name: 'vepa', value: 2 },
            { name: 'bridge', value: 4 },
            { name: 'passthru', value: 8 },
            { name: 'source', value: 16 },
          ],
        },
        {
          name: 'macvlan-macaddr-mode',
          type: 'enum',
          'name-prefix': 'macvlan-macaddr-',
          header,
          entries: ['add', 'del', 'flush', 'set'],
        },
        {
          name: 'macvlan-flags',
          type: 'flags',
          'name-prefix': 'macvlan-flag-',
          header,
          entries: ['nopromisc', 'nodst'],
        },
        {
          name: 'ifla-vxlan-df',
          type: 'enum',
          'name-prefix': 'vxlan-df-',
          header,
          entries: ['unset', 'set', 'inherit'],
        },
        {
          name: 'ifla-vxlan-port-range',
          type: 'struct',
          members: [
            { name: 'low', type: 'u16', 'byte-order': 'big-endian' },
            { name: 'high', type: 'u16', 'byte-order': 'big-endian' },
          ],
        },
      );
      const u8 = (name: string): Raw => ({ name, type: 'u8' });
      const u32 = (name: string): Raw => ({ name, type: 'u32' });
      sets.push(
        {
          name: 'linkinfo-veth-attrs',
          'name-prefix': 'veth-info-',
          attributes: [
            {
              name: 'peer',
              type: 'nest',
              'nested-attributes': 'link-attrs',
              'fixed-header': 'ifinfomsg',
            },
          ],
        },
        {
          name: 'linkinfo-macvlan-attrs',
          'name-prefix': 'ifla-macvlan-',
          attributes: [
            { name: 'mode', type: 'u32', enum: 'macvlan-mode' },
            { name: 'flags', type: 'u16', enum: 'macvlan-flags' },
            { name: 'macaddr-mode', type: 'u32', enum: 'macvlan-macaddr-mode' },
            { name: 'macaddr', type: 'binary', 'display-hint': 'mac', 'multi-attr': true },
            { name: 'macaddr-data', type: 'nest', 'nested-attributes': 'linkinfo-macvlan-attrs' },
            u32('macaddr-count'),
            u32('bc-queue-len'),
            u32('bc-queue-len-used'),
          ],
        },
        {
          name: 'linkinfo-vxlan-attrs',
          'name-prefix': 'ifla-vxlan-',
          attributes: [
            u32('id'),
            { name: 'group', type: 'binary', 'display-hint': 'ipv4' },
            u32('link'),
            { name: 'local', type: 'binary', 'display-hint': 'ipv4' },
            u8('ttl'),
            u8('tos'),
            u8('learning'),
            u32('ageing'),
            u32('limit'),
            { name: 'port-range', type: 'binary', struct: 'ifla-vxlan-port-range' },
            u8('proxy'),
            u8('rsc'),
            u8('l2miss'),
            u8('l3miss'),
            { name: 'port', type: 'u16', 'byte-order': 'big-endian' },
            { name: 'group6', type: 'binary', 'display-hint': 'ipv6' },
            { name: 'local6', type: 'binary', 'display-hint': 'ipv6' },
            u8('udp-csum'),
            u8('udp-zero-csum6-tx'),
            u8('udp-zero-csum6-rx'),
            u8('remcsum-tx'),
            u8('remcsum-rx'),
            { name: 'gbp', type: 'flag' },
            { name: 'remcsum-nopartial', type: 'flag' },
            u8('collect-metadata'),
            { name: 'label', type: 'u32', 'byte-order': 'big-endian' },
            { name: 'gpe', type: 'flag' },
            { name: 'ttl-inherit', type: 'flag' },
            { name: 'df', type: 'u8', enum: 'ifla-vxlan-df' },
            u8('vnifilter'),
          ],
        },
      );
      const data = subs.find((s) => s.name === 'linkinfo-data-msg');
      (data?.formats as Raw[] | undefined)?.push(
        { value: 'veth', 'attribute-set': 'linkinfo-veth-attrs' },
        { value: 'macvlan', 'attribute-set': 'linkinfo-macvlan-attrs' },
        { value: 'macvtap', 'attribute-set': 'linkinfo-macvlan-attrs' },
        { value: 'vxlan', 'attribute-set': 'linkinfo-vxlan-attrs' },
      );
    },
  },
  {
    family: 'rt-rule',
    proof:
      'linux/fib_rules.h (lines 45-46): FRA_DST and FRA_SRC are the destination and source addresses (an in_addr or in6_addr, in network order, as ip rule sends them); the spec reads them as host-order u32',
    apply: (spec) => {
      const sets = spec['attribute-sets'] as Raw[];
      const attrs = sets.find((s) => s.name === 'fib-rule-attrs')?.attributes as Raw[] | undefined;
      for (const a of attrs ?? []) {
        if (a.name !== 'dst' && a.name !== 'src') continue;
        a.type = 'binary';
        a['display-hint'] = 'ipv4';
      }
    },
  },
  {
    family: 'nftables',
    proof:
      'linux/netfilter/nf_tables.h (enum nf_tables_msg_types): NFT_MSG_GETTABLE, GETCHAIN, GETRULE, GETSET, GETOBJ and GETFLOWTABLE are what `nft list` sends with NLM_F_DUMP, and the kernel answers each with one NEW* message per object (test/e2e/ynl-compare.test.ts dumps tables and chains); the spec gives them only a do',
    apply: (spec) => {
      const ops = (spec.operations as Raw).list as Raw[];
      for (const name of ['gettable', 'getchain', 'getrule', 'getset', 'getobj', 'getflowtable']) {
        const op = ops.find((o) => o.name === name);
        if (op === undefined || op.dump !== undefined || op.do === undefined) continue;
        const doOp = op.do as Raw;
        op.dump = {
          request: { ...(doOp.request as Raw), attributes: [] },
          reply: doOp.reply,
        };
      }
    },
  },
  {
    family: 'rt-addr',
    proof:
      'linux/if_addr.h (line 31): IFA_BROADCAST is an address like IFA_ADDRESS and IFA_LOCAL, written as a 4-byte in_addr in network order (the kernel capture addrLabel of test/families/rtnetlink/fixtures.ts holds 0a 01 00 ff, which ip prints as 10.1.0.255); the spec reads it as a host-order u32',
    apply: (spec) => {
      const sets = spec['attribute-sets'] as Raw[];
      const attrs = sets.find((s) => s.name === 'addr-attrs')?.attributes as Raw[] | undefined;
      const broadcast = attrs?.find((a) => a.name === 'broadcast');
      if (broadcast === undefined) return;
      broadcast.type = 'binary';
      broadcast['display-hint'] = 'ipv4';
    },
  },
];

/** Returns `spec` with every overlay for its family applied (in place). */
export function applyOverlay(spec: Raw): Raw {
  for (const overlay of OVERLAYS) if (overlay.family === spec.name) overlay.apply(spec);
  return spec;
}
