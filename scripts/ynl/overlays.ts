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
];

/** Returns `spec` with every overlay for its family applied (in place). */
export function applyOverlay(spec: Raw): Raw {
  for (const overlay of OVERLAYS) if (overlay.family === spec.name) overlay.apply(spec);
  return spec;
}
