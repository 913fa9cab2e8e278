/** Entries kept: a few rules' prefixes, a few peers' hardware addresses. */
const ENTRIES = 8;
/** Longer strings are decoded every time (NFULA_PREFIX is at most 128 bytes on the wire). */
const MAX_KEY = 128;

/**
 * Memoises the string made from a run of attribute bytes that tends to repeat from packet to
 * packet — a rule's log prefix, a peer's hardware address, a security context — so that a
 * repeat costs a byte comparison in place and no allocation. It keeps the last few distinct
 * byte runs (round robin) with their strings; a miss calls `make` and remembers the result.
 * Results are exactly what `make` returns for those bytes: the cache only skips the work.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * const prefixes = new StringCache((view, at, length) => decodeUtf8(view, at, length));
 * prefixes.get(view, offset, length); // 'DROP-IN ' again and again, made once
 */
export class StringCache {
  private readonly make: (view: DataView, at: number, length: number) => string;
  private readonly keys: Uint8Array[] = [];
  private readonly values: string[] = [];
  private next = 0;

  constructor(make: (view: DataView, at: number, length: number) => string) {
    this.make = make;
  }

  /** The string for `view[at .. at + length)`. */
  get(view: DataView, at: number, length: number): string {
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key.length !== length) continue;
      let i = 0;
      while (i < length && view.getUint8(at + i) === key[i]) i++;
      if (i === length) return this.values[k];
    }
    const value = this.make(view, at, length);
    if (length <= MAX_KEY) {
      const key = new Uint8Array(length);
      for (let i = 0; i < length; i++) key[i] = view.getUint8(at + i);
      const slot = keys.length < ENTRIES ? keys.length : this.next;
      this.next = (slot + 1) % ENTRIES;
      keys[slot] = key;
      this.values[slot] = value;
    }
    return value;
  }
}
