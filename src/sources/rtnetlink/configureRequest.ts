import { closeSync } from 'node:fs';
import {
  catchError,
  concat,
  defer,
  ignoreElements,
  map,
  mergeMap,
  Observable,
  of,
  toArray,
} from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { errnos } from '../../errors/errno.js';
import { NetlinkError } from '../../errors/NetlinkError.js';
import { IFINFOMSG_SIZE, RTM_NEWLINK } from '../../families/rtnetlink/constants.js';
import { getLinkRequest, type NetnsTarget } from '../../families/rtnetlink/link.js';
import { checkNetnsRef, type NetnsRef, openNetns } from '../../io/inNetns.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { request } from '../request.js';
import type { RtnetlinkRequestOptions } from './options.js';
import { checkRtnetlinkOptions } from './options.js';

export type { NetnsRef } from '../../io/inNetns.js';

/**
 * An interface as the configuring sources take it: its name (`'eth0'`, resolved to an
 * ifindex in the request's namespace when the request runs) or its ifindex.
 *
 * @example
 * const master: InterfaceRef = 'br0';
 */
export type InterfaceRef = string | number;

/** Where a request goes, plus what its subscription must resolve before it is built. */
export interface ConfigurePlan {
  /** Interfaces named in the request: names are looked up, numbers pass as they are. */
  readonly interfaces: readonly InterfaceRef[];
  /** Namespaces named in the request: names and paths are opened, fds and pids pass. */
  readonly namespaces: readonly NetnsRef[];
  /** Builds the request from the ifindexes and namespace targets, in the order above. */
  readonly build: (ifindexes: number[], namespaces: NetnsTarget[], seq: number) => Uint8Array;
  /** What was asked, for errors: `createLink v0`, `addRule priority 1000`. */
  readonly what: string;
}

/** A request socket's ring: acknowledgements are small (a big one arrives as COPY). */
const ACK_MESSAGE_SIZE = 4096 - 24;
const ACK_RING_MEMORY = 1 << 14;

/**
 * Checks an {@link InterfaceRef} option (@internal): a name of at most 15 bytes or an
 * ifindex; undefined when absent.
 *
 * @example
 * declare const options: SetLinkOptions;
 * const master = interfaceRef('setLink', 'options.master', options.master);
 */
export function interfaceRef(fn: string, name: string, value: unknown): InterfaceRef | undefined {
  const check = argumentChecker(fn);
  if (typeof value === 'number') return check.integer(name, value, 1, 0x7fffffff);
  if (value === undefined || typeof value === 'string') return check.string(name, value, 15);
  return check.fail(name, 'an interface name or ifindex', value);
}

/**
 * The interface of a request given as `dev` (a name) or `ifindex` (@internal): exactly one
 * of them.
 *
 * @example
 * declare const options: SetLinkOptions;
 * const target = deviceOption('setLink', options);
 */
export function deviceOption(
  fn: string,
  options: { dev?: unknown; ifindex?: unknown },
  required = true,
  prefix = 'options.',
): InterfaceRef | undefined {
  const check = argumentChecker(fn);
  const dev = check.string(`${prefix}dev`, options.dev, 15);
  const ifindex = check.integer(`${prefix}ifindex`, options.ifindex, 1, 0x7fffffff);
  if (dev !== undefined && ifindex !== undefined) {
    check.fail(`${prefix}ifindex`, `absent when ${prefix}dev names the interface`, ifindex);
  }
  if (required && dev === undefined && ifindex === undefined) {
    check.fail(`${prefix}dev`, `an interface name (or ${prefix}ifindex a number)`, undefined);
  }
  return dev ?? ifindex;
}

/**
 * Checks a {@link NetnsRef} option (@internal); undefined when absent.
 *
 * @example
 * declare const options: SetLinkOptions;
 * const moveTo = netnsRef('setLink', 'options.moveTo', options.moveTo);
 */
export function netnsRef(fn: string, name: string, value: unknown): NetnsRef | undefined {
  return checkNetnsRef(fn, name, value);
}

/**
 * Sends one configuring request and completes at the kernel's acknowledgement (@internal):
 * the shape of `createLink`, `setLink`, `addRule`, ….
 *
 * At call time it checks `netns` / `open` and builds the request once with placeholder
 * ifindexes and namespaces, so that every bad option throws its TypeError before anything
 * is subscribed. Each subscription opens one endpoint (in `netns`), opens the namespace
 * files the plan names, resolves each interface name with an RTM_GETLINK on the same
 * endpoint (so in the request's namespace), sends the request, emits one `undefined` at
 * the acknowledgement and completes; the endpoint and the files are closed exactly once.
 * Errors are NetlinkErrors that say what was asked (`detail`) beside the kernel's errno and
 * extended ack: ENODEV for a name no interface has, the kernel's refusal of the request.
 *
 * @example
 * declare const build: ConfigurePlan['build'];
 * configureRequest('deleteLink', {}, { interfaces: ['v0'], namespaces: [], build, what: 'deleteLink v0' });
 */
export function configureRequest(
  fn: string,
  options: RtnetlinkRequestOptions,
  plan: ConfigurePlan,
): Observable<void> {
  const checked = checkRtnetlinkOptions(
    fn,
    { netns: options.netns, open: options.open },
    { messageSize: ACK_MESSAGE_SIZE, ringMemory: ACK_RING_MEMORY },
  );
  plan.build(
    plan.interfaces.map(() => 1),
    plan.namespaces.map(() => ({ fd: 0 })),
    1,
  );
  return new Observable<void>((subscriber) => {
    const files: number[] = [];
    let endpoint: RingEndpoint | undefined;
    const fail = (error: unknown) => subscriber.error(asked(error, plan.what));
    try {
      endpoint = checked.open([]);
    } catch (error) {
      fail(error);
      return;
    }
    const ep = endpoint;
    let seq = 0;
    const resolve = plan.interfaces.map((ref) =>
      typeof ref === 'number'
        ? of(ref)
        : defer(() => request(ep, getLinkRequest({ ifname: ref, seq: ++seq }))).pipe(
            toArray(),
            map((replies) => ifindexOf(replies, ref, seq, plan.what)),
            catchError((error: unknown) => {
              throw asked(error, `${plan.what}: resolving interface "${ref}"`);
            }),
          ),
    );
    const send = (ifindexes: number[]) =>
      defer(() => {
        const targets = plan.namespaces.map((ref) => {
          if (typeof ref !== 'string') return ref;
          const opened = openNetns(ref);
          files.push(opened.fd);
          return { fd: opened.fd };
        });
        return request(ep, plan.build(ifindexes, targets, ++seq));
      }).pipe(ignoreElements());
    const subscription = concat(...resolve)
      .pipe(
        toArray(),
        mergeMap((ifindexes) => send(ifindexes)),
      )
      .subscribe({
        error: fail,
        complete: () => {
          subscriber.next(undefined);
          subscriber.complete();
        },
      });
    return () => {
      subscription.unsubscribe();
      ep.close();
      for (const fd of files) closeSync(fd);
    };
  });
}

/** The ifindex in the RTM_NEWLINK reply to a by-name RTM_GETLINK. */
function ifindexOf(replies: NetlinkMessage[], name: string, seq: number, what: string): number {
  const link = replies.find((m) => m.type === RTM_NEWLINK);
  if (link === undefined || link.payloadLength < IFINFOMSG_SIZE) {
    throw new NetlinkError({
      op: 'request',
      errno: errnos.ENODEV,
      seq,
      detail: `${what}: no answer naming interface "${name}"`,
    });
  }
  return link.view.getInt32(link.payloadOffset + 4, true);
}

/**
 * `error` with what was asked added to its detail: a NetlinkError keeps its errno, seq and
 * extended ack; anything else is passed on as it is.
 */
function asked(error: unknown, what: string): unknown {
  if (!(error instanceof NetlinkError)) return error;
  if (error.detail?.startsWith(what)) return error;
  return new NetlinkError({
    op: error.op,
    errno: error.errno,
    seq: error.seq,
    extack: error.extack,
    offset: error.offset,
    detail: error.detail === undefined ? what : `${what}: ${error.detail}`,
    cause: error,
  });
}
