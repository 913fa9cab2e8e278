/**
 * `#define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) & ~(NLMSG_ALIGNTO-1) )`
 *
 * @example
 * nlmsgAlign(17); // 20
 */
export function nlmsgAlign(length: number): number {
  return (length + 3) & ~3;
}

/**
 * `#define NLA_ALIGN(len) (((len) + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1))`
 *
 * @example
 * nlaAlign(5); // 8
 */
export function nlaAlign(length: number): number {
  return (length + 3) & ~3;
}
