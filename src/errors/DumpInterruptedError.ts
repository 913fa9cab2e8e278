import { errnos } from './errno.js';
import { NetlinkError } from './NetlinkError.js';

/**
 * A dump finished, but at least one of its replies carried `NLM_F_DUMP_INTR`: the kernel's
 * table changed while it was being dumped, so the result may be inconsistent (entries
 * missing or duplicated). Op `dump`, errno EINTR, `seq` of the dump. Retrying the dump
 * usually succeeds; this mirrors libmnl's EINTR and mdlayher/netlink's ErrDumpInterrupted.
 *
 * @example
 * dump$.pipe(toArray(), retry({ count: 3, delay: (e) => (e instanceof DumpInterruptedError ? of(0) : throwError(() => e)) }));
 */
export class DumpInterruptedError extends NetlinkError {
  override readonly name = 'DumpInterruptedError';
  /** Replies of the dump that carried NLM_F_DUMP_INTR. */
  readonly interrupted: number;

  constructor(seq: number, interrupted: number) {
    super({
      op: 'dump',
      errno: errnos.EINTR,
      seq,
      detail: `${interrupted} replies carried NLM_F_DUMP_INTR: the dump may be inconsistent, retry it`,
    });
    this.interrupted = interrupted;
  }
}
