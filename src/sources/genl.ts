import { statSync } from 'node:fs';
import {
  defer,
  filter,
  last,
  map,
  Observable as Obs,
  type Observable,
  of,
  Subscription,
  tap,
} from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import {
  beginGenlMessage,
  decodeFamily,
  GENL_NAMSIZ,
  type GenlFamilyInfo,
  getFamilyRequest,
} from '../families/genl/controller.js';
import { checkNetnsRef, type NetnsRef, netnsPath } from '../io/inNetns.js';
import { type OpenEndpoint, openNetlinkSocket } from '../io/openNetlinkSocket.js';
import { MessageWriter } from '../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { parseMessages } from '../operators/parseMessages.js';
import { Overrun } from '../ring/Overrun.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
import { dumpMessages } from './dumpMessages.js';
import { fromRing } from './fromRing.js';
import { request } from './request.js';

/** Where a generic netlink source talks: a named namespace, or an endpoint the caller opens. */
export interface GenlOptions {
  /**
   * Talk in this network namespace instead of the process's own: a name (`ip netns add
   * NAME`), an absolute path, `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /**
   * Opens the NETLINK_GENERIC endpoint instead, given `{ protocol: 'generic', groups: [],
   * netns }` (groups are joined by name after the family resolves); called once per
   * subscription, closed at teardown. The family cache is then not used.
   */
  open?: OpenEndpoint | undefined;
}

/** Options of {@link genlRequest} and {@link genlDump}. */
export interface GenlRequestOptions extends GenlOptions {
  /** The family, by name (`'ethtool'`); resolved with CTRL_CMD_GETFAMILY. */
  family: string;
  /** The command (`cmd` of genlmsghdr). */
  command: number;
  /** `version` of genlmsghdr (default: the family's version). */
  version?: number | undefined;
  /** Writes the family's fixed header and the attributes after the genlmsghdr. */
  attributes?: ((writer: MessageWriter, family: GenlFamilyInfo) => void) | undefined;
  /** Extra nlmsg_flags (NLM_F_REQUEST and NLM_F_ACK or NLM_F_DUMP are set already). */
  flags?: number | undefined;
}

/** Options of {@link genlMonitor}. */
export interface GenlMonitorOptions extends GenlOptions {
  family: string;
  /** Multicast groups to join, by name (`['notify']`). */
  groups: readonly string[];
}

// Family ids are per network namespace; one cache per namespace, keyed by the namespace's
// inode (the process's own, or the one `netns` names). A family that is unloaded and reloaded gets a new id:
// a request failing with ENOENT drops the entry, so the next subscription resolves again.
const cache = new Map<string, Map<string, GenlFamilyInfo>>();

function namespaceKey(options: GenlOptions): string | undefined {
  if (options.open !== undefined) return undefined;
  const path = options.netns === undefined ? '/proc/self/ns/net' : netnsPath(options.netns);
  try {
    // stat, not open: a FIFO in the namespace's place cannot block here.
    return `ino:${statSync(path).ino}`;
  } catch {
    return undefined;
  }
}

function opener(options: GenlOptions): () => RingEndpoint {
  const given = options.open;
  const netns = options.netns;
  if (given !== undefined) return () => given({ protocol: 'generic', groups: [], netns });
  return () =>
    openNetlinkSocket(
      netns === undefined ? { protocol: 'generic' } : { protocol: 'generic', netns },
    );
}

const RESOLVE_SEQ = 1;
const REQUEST_SEQ = 2;

function resolveOn(
  endpoint: RingEndpoint,
  name: string,
  key: string | undefined,
): Observable<GenlFamilyInfo> {
  const known = key === undefined ? undefined : cache.get(key)?.get(name);
  if (known !== undefined) return of(known);
  return request(endpoint, getFamilyRequest({ name, seq: RESOLVE_SEQ })).pipe(
    map((message) => decodeFamily(message)),
    last(),
    tap((info) => {
      if (key === undefined) return;
      let families = cache.get(key);
      if (families === undefined) {
        families = new Map();
        cache.set(key, families);
      }
      families.set(name, info);
    }),
  );
}

/** Opens the endpoint in subscribe, runs `body` on it, closes it exactly once at teardown. */
function onEndpoint<T>(
  options: GenlOptions,
  family: string,
  body: (endpoint: RingEndpoint, info: GenlFamilyInfo) => Observable<T>,
): Observable<T> {
  const open = opener(options);
  const key = namespaceKey(options);
  return new Obs<T>((subscriber) => {
    let endpoint: RingEndpoint;
    try {
      endpoint = open();
    } catch (error) {
      subscriber.error(error);
      return;
    }
    // The body starts after resolution completed and its RX source was torn down (a socket
    // has one watcher): on the microtask after the resolution's completion.
    let resolved: GenlFamilyInfo | undefined;
    const subscription = new Subscription();
    const start = (info: GenlFamilyInfo): void => {
      if (subscriber.closed) return;
      let inner: Observable<T>;
      try {
        inner = body(endpoint, info);
      } catch (error) {
        subscriber.error(error);
        return;
      }
      subscription.add(
        inner.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => {
            if (key !== undefined && isEnoent(error)) cache.get(key)?.delete(family);
            subscriber.error(error);
          },
          complete: () => subscriber.complete(),
        }),
      );
    };
    subscription.add(
      resolveOn(endpoint, family, key).subscribe({
        next: (info) => {
          resolved = info;
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          const info = resolved;
          if (info !== undefined) queueMicrotask(() => start(info));
        },
      }),
    );
    return () => {
      subscription.unsubscribe();
      endpoint.close();
    };
  });
}

function isEnoent(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ENOENT'
  );
}

function checkRequest(fn: string, options: GenlRequestOptions): GenlRequestOptions {
  const check = argumentChecker(fn);
  const o = check.options(options, true) as GenlRequestOptions;
  check.string('options.family', o.family, GENL_NAMSIZ - 1) ??
    check.fail('options.family', 'a family name', o.family);
  check.requiredInteger('options.command', o.command, 0, 255);
  check.integer('options.version', o.version, 0, 255);
  check.uint('options.flags', o.flags, 16);
  check.func('options.attributes', o.attributes);
  check.func('options.open', o.open);
  checkNetnsRef(fn, 'options.netns', o.netns);
  return o;
}

function build(o: GenlRequestOptions, info: GenlFamilyInfo, flags: number): Uint8Array {
  const w = new MessageWriter(256);
  beginGenlMessage(
    w,
    info.id,
    o.command,
    o.version ?? info.version,
    flags | (o.flags ?? 0),
    REQUEST_SEQ,
  );
  o.attributes?.(w, info);
  return w.end().finish();
}

/**
 * Resolves a generic netlink family by name (CTRL_CMD_GETFAMILY): its id, version, header
 * size, operations with their flags, and multicast groups; emits it once and completes.
 *
 * Cold: each subscription opens a NETLINK_GENERIC socket (or calls `options.open`) and
 * closes it at teardown. Answers are cached per network namespace. Errors with a
 * NetlinkError ENOENT for a family this kernel lacks.
 *
 * @example
 * resolveGenlFamily('ethtool').subscribe((f) => console.log(f.id, f.mcastGroups));
 */
export function resolveGenlFamily(
  name: string,
  options: GenlOptions = {},
): Observable<GenlFamilyInfo> {
  const check = argumentChecker('resolveGenlFamily');
  check.string('name', name, GENL_NAMSIZ - 1) ?? check.fail('name', 'a family name', name);
  check.func('options.open', options.open);
  return onEndpoint(options, name, (_endpoint, info) => of(info));
}

/**
 * Every generic netlink family of the namespace (a CTRL_CMD_GETFAMILY dump), as `genl ctrl
 * list` shows them, then completes.
 *
 * Cold: each subscription opens its own socket and closes it at teardown.
 *
 * @example
 * dumpGenlFamilies().subscribe((f) => console.log(f.name));
 */
export function dumpGenlFamilies(options: GenlOptions = {}): Observable<GenlFamilyInfo> {
  const check = argumentChecker('dumpGenlFamilies');
  check.func('options.open', options.open);
  checkNetnsRef('dumpGenlFamilies', 'options.netns', options.netns);
  const open = opener(options);
  return defer(() =>
    dumpMessages(open, getFamilyRequest({ seq: REQUEST_SEQ })).pipe(map((m) => decodeFamily(m))),
  );
}

/**
 * Sends one generic netlink request (a `do`) to a family named by its name, and emits the
 * replies as detached messages, completing at the kernel's acknowledgement.
 *
 * Cold: each subscription opens its socket, resolves the family on it (cached per
 * namespace), sends the request with NLM_F_ACK and closes the socket at teardown. Errors with
 * the kernel's NetlinkError (errno, extended ack). Bad options throw a TypeError at once.
 *
 * @example
 * genlRequest({ family: 'netdev', command: 1, attributes: (w) => w.attrU32(1, 1) })
 *   .subscribe((m) => console.log(m.payloadLength));
 */
export function genlRequest(options: GenlRequestOptions): Observable<NetlinkMessage> {
  const o = checkRequest('genlRequest', options);
  return onEndpoint(o, o.family, (endpoint, info) => request(endpoint, build(o, info, 0x1 | 0x4)));
}

/**
 * A generic netlink dump (NLM_F_DUMP): emits the reply messages borrowed in place from the
 * ring (copy one to keep it), completing at NLMSG_DONE.
 *
 * Cold, as {@link genlRequest}; a dump flagged NLM_F_DUMP_INTR errors with a
 * DumpInterruptedError at DONE.
 *
 * @example
 * genlDump({ family: 'tcp_metrics', command: 1 }).subscribe((m) => console.log(m.length));
 */
export function genlDump(options: GenlRequestOptions): Observable<NetlinkMessage> {
  const o = checkRequest('genlDump', options);
  return onEndpoint(o, o.family, (endpoint, info) =>
    dumpMessages(endpoint, build(o, info, 0x1 | 0x300)),
  );
}

/**
 * The notifications of a family's multicast groups, joined by name: emits every message
 * borrowed from the ring; never completes. Lost messages (ENOBUFS overruns) error the stream.
 *
 * Cold, hot once subscribed: each subscription opens its socket, resolves the family, joins
 * the groups and closes the socket at teardown. Errors with a NetlinkError ENOENT for an
 * unknown family, and with an Error naming the family's groups for an unknown group name.
 *
 * @example
 * genlMonitor({ family: 'nlctrl', groups: ['notify'] }).subscribe((m) => console.log(m.type));
 */
export function genlMonitor(options: GenlMonitorOptions): Observable<NetlinkMessage> {
  const check = argumentChecker('genlMonitor');
  const o = check.options(options, true) as GenlMonitorOptions;
  check.string('options.family', o.family, GENL_NAMSIZ - 1) ??
    check.fail('options.family', 'a family name', o.family);
  if (
    !Array.isArray(o.groups) ||
    o.groups.length === 0 ||
    o.groups.some((g) => typeof g !== 'string')
  ) {
    check.fail('options.groups', 'a non-empty array of group names', o.groups);
  }
  check.func('options.open', o.open);
  const groups = [...o.groups];
  return onEndpoint(o, o.family, (endpoint, info) => {
    for (const name of groups) {
      const group = info.mcastGroups.find((g) => g.name === name);
      if (group === undefined) {
        throw new Error(
          `genlMonitor: family ${info.name} has no multicast group ${JSON.stringify(name)} (it has ${info.mcastGroups.map((g) => g.name).join(', ') || 'none'})`,
        );
      }
      const join = (endpoint as Partial<{ addMembership(group: number): void }>).addMembership;
      if (typeof join !== 'function') {
        throw new Error(
          'genlMonitor: the endpoint cannot join multicast groups (no addMembership)',
        );
      }
      join.call(endpoint, group.id);
    }
    return fromRing(endpoint, { overruns: 'error' }).pipe(
      parseMessages(),
      filter((m): m is NetlinkMessage => !(m instanceof Overrun) && m.type === info.id),
    );
  });
}
