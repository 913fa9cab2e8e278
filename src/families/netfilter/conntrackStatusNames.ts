// enum ip_conntrack_status of <linux/netfilter/nf_conntrack_common.h>, by bit number, with
// the IPS_ prefix dropped.
const bits = [
  'EXPECTED',
  'SEEN_REPLY',
  'ASSURED',
  'CONFIRMED',
  'SRC_NAT',
  'DST_NAT',
  'SEQ_ADJUST',
  'SRC_NAT_DONE',
  'DST_NAT_DONE',
  'DYING',
  'FIXED_TIMEOUT',
  'TEMPLATE',
  'UNTRACKED',
  'HELPER',
  'OFFLOAD',
  'HW_OFFLOAD',
];

/**
 * The names of the IPS_* bits set in a CTA_STATUS word, lowest bit first, without the
 * `IPS_` prefix. Bits the header does not name come out as `BIT<n>`. conntrack(8) shows
 * `[UNREPLIED]` for an entry without SEEN_REPLY and `[ASSURED]` for ASSURED.
 *
 * @example
 * conntrackStatusNames(IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED); // ['SEEN_REPLY', 'ASSURED', 'CONFIRMED']
 */
export function conntrackStatusNames(status: number): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if ((status >>> bit) & 1) out.push(bits[bit] ?? `BIT${bit}`);
  }
  return out;
}
