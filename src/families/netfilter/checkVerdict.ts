import { checkUint } from './checkUint.js';
import { NF_MAX_VERDICT, NF_STOLEN, NF_VERDICT_MASK } from './constants.js';

/**
 * Throws a RangeError unless `verdict` is one the kernel takes in a verdict header:
 * a u32 whose low byte (`verdict & NF_VERDICT_MASK`) is at most NF_MAX_VERDICT and is not
 * NF_STOLEN — the check of the kernel's `verdicthdr_get()`. Returns the verdict.
 *
 * @example
 * checkVerdict(nfQueueNr(3)); // ok
 * checkVerdict(NF_STOLEN);    // throws
 */
export function checkVerdict(verdict: number): number {
  checkUint('verdict', verdict, 32);
  const code = verdict & NF_VERDICT_MASK;
  if (code > NF_MAX_VERDICT || code === NF_STOLEN) {
    throw new RangeError(
      `verdict 0x${verdict.toString(16)}: the kernel refuses verdict code ${code}`,
    );
  }
  return verdict;
}
