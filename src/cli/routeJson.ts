// A route's JSON as `nlring routes --json` prints it, written field by field into the output
// chunks: ip's field names and order (the order of ROUTE_FIELDS), no copy of the route, no
// JSON.stringify per route. A field of a type other than the decoder's goes through the
// generic writer, so the text is always JSON.stringify's for the same fields in this order.
import { decodeRouteAt, type rtnetlink } from '../index.js';
import type { JsonArray } from './jsonText.js';
import { jsonObject } from './output.js';

/**
 * Every field of a Route the JSON prints, in its order: the decoder's (ip's) order, with
 * `nh_info` after the route's own fields and before its paths (`nexthops`) when it has one.
 * Every key of `rtnetlink.Route` but `attrs` must be here (the compiler checks it), so that a
 * field added to the route is not silently left out of the JSON.
 *
 * @internal
 */
export const ROUTE_FIELDS = [
  'deleted',
  'type',
  'dst',
  'from',
  'nhid',
  'tos',
  'gateway',
  'via',
  'dev',
  'table',
  'protocol',
  'scope',
  'prefsrc',
  'metric',
  'flags',
  'metrics',
  'iif',
  'nexthops',
  'pref',
  'encap',
  'mode',
  'segs',
  'expires',
  'error',
  'family',
  'ifindex',
  'nh_info',
] as const satisfies readonly (keyof rtnetlink.Route)[];

/** The keys of Route that ROUTE_FIELDS lacks: none, or this does not compile. */
type Unwritten = Exclude<keyof rtnetlink.Route, (typeof ROUTE_FIELDS)[number] | 'attrs'>;
const everyField: [Unwritten] extends [never] ? true : Unwritten = true;
void everyField;

// The values of <linux/rtnetlink.h>, <linux/netlink.h> and <sys/socket.h>, written here
// rather than read from the `rtnetlink` namespace: a use of the namespace as a value puts the
// whole of it into the dump commands' bundle (docs/ARCHITECTURE.md, "Start-up").
const AF_INET = 2;
const RTM_NEWROUTE = 24;
const RTM_F_CLONED = 0x200;
const RTA_DST = 1;
const RTA_OIF = 4;
const RTA_GATEWAY = 5;
const RTA_PRIORITY = 6;
const RTA_TABLE = 15;
/** nlmsghdr, struct rtmsg, and an nlattr holding a u32 or an IPv4 address. */
const NLMSG_HDRLEN = 16;
const RTMSG_SIZE = 12;
const NLA_U32 = 8;
/** The attribute type without NLA_F_NESTED and NLA_F_NET_BYTEORDER. */
const NLA_TYPE_MASK = 0x3fff;

/** `,"key":` then a string value; another type as JSON.stringify writes it (or not at all). */
function text(out: JsonArray, key: string, name: string, value: unknown): void {
  if (typeof value === 'string') {
    out.ascii(key);
    out.string(value);
  } else if (value !== undefined) {
    out.field(name, value, false);
  }
}

/** `,"key":` then a number value; another type as JSON.stringify writes it (or not at all). */
function count(out: JsonArray, key: string, name: string, value: unknown): void {
  if (typeof value === 'number') {
    out.ascii(key);
    out.number(value);
  } else if (value !== undefined) {
    out.field(name, value, false);
  }
}

/** A field of any value, as JSON.stringify writes it (or not at all). */
function other(out: JsonArray, name: string, value: unknown): void {
  if (value !== undefined) out.field(name, value, false);
}

/** The flags as `,"flags":[…]`: most routes have none (one shared empty array). */
function flags(out: JsonArray, value: unknown): void {
  if (
    Array.isArray(value) &&
    value.length === 0 &&
    Object.getPrototypeOf(value) === Array.prototype
  ) {
    out.ascii(',"flags":[]');
  } else {
    other(out, 'flags', value);
  }
}

/** `nh_info` as printed: the nexthop object without its raw attributes. */
function nexthopInfo(info: unknown): unknown {
  return typeof info === 'object' && info !== null ? jsonObject(info) : info;
}

/**
 * Writes routes' JSON into `out`, one {@link RouteJson.write} per route: its fields in the
 * order of {@link ROUTE_FIELDS}, without `attrs` (the raw attributes, which have no JSON form
 * in ip), `nh_info` without its own `attrs`. The bytes are JSON.stringify's of the same
 * fields in that order.
 *
 * The routes of a large table mostly differ in `dst` alone: the text before `dst` and after
 * it are kept from the last route, and written again as they are when the next route's
 * fields there are the same values (===, `flags` the same frozen array; routes with paths,
 * metrics, a via, segments or nh_info are written afresh).
 *
 * @internal
 * @example
 * declare const routes: rtnetlink.Route[];
 * const out = new JsonArray();
 * out.begin();
 * const writer = new RouteJson(out);
 * for (const route of routes) writer.write(route);
 * const chunks = out.end();
 */
export class RouteJson {
  private readonly out: JsonArray;
  /** `{"type":"…","dst":` of the last route, and its type. */
  private head: Uint8Array | undefined;
  private type: string | undefined;
  /**
   * The text after `dst` of the last route that had no nested field, and that route (its
   * fields are what the next route is compared with: a route written is not changed after,
   * as the decoder's routes are not).
   */
  private rest: Uint8Array | undefined;
  private last: rtnetlink.Route | undefined;

  /**
   * The route of {@link RouteJson.writeAt}'s last miss, when `rest` is its text (`last`), and
   * what its message said: a later message that says the same gets the same text.
   */
  private keyed: rtnetlink.Route | undefined;
  private keyHead = 0;
  private keyFlags = 0;
  private keyTable = 0;
  private keyGateway = 0;
  private keyOif = 0;
  private keyPriority = 0;

  constructor(out: JsonArray) {
    this.out = out;
  }

  /**
   * Appends the route of the RTM_NEWROUTE message at `offset` (a `dumpRoutesWith` decoder's
   * arguments) when it is of a large table's kind: IPv4, via a gateway on a device in a
   * table, with no attribute but RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_PRIORITY and RTA_TABLE,
   * each of 4 bytes. Its text is the last such route's but for `dst` when the message's
   * header, gateway, device, metric and table are the same: then only `dst` is written, from
   * its bytes, between the two texts kept, and no route is decoded; otherwise the route is
   * decoded (`decodeRouteAt`) and written as {@link RouteJson.write} writes it. Returns false,
   * having written nothing, for any other message (anything unusual, malformed ones too):
   * the caller decodes it and writes it with `write`, so the text is always `write`'s.
   */
  writeAt(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    options: rtnetlink.RtnetlinkDecodeOptions,
  ): boolean {
    if (view.getUint16(offset + 4, true) !== RTM_NEWROUTE) return false;
    const end = offset + length;
    const header = offset + NLMSG_HDRLEN;
    // IPv4, no source prefix, no TOS, not a cached clone: what decodeRouteAt's short path takes.
    if (end - header < RTMSG_SIZE || bytes[header] !== AF_INET) return false;
    if (bytes[header + 2] !== 0 || bytes[header + 3] !== 0) return false;
    const dstLen = bytes[header + 1];
    if (dstLen > 32) return false;
    const rtmFlags = view.getUint32(header + 8, true);
    if ((rtmFlags & RTM_F_CLONED) !== 0) return false;
    let dstAt = -1;
    let gatewayAt = -1;
    let gateway = 0;
    let oif = -1;
    let priority = -1;
    let table = -1;
    let at = header + RTMSG_SIZE;
    while (at < end) {
      if (end - at < NLA_U32) return false;
      const word = view.getUint32(at, true);
      if ((word & 0xffff) !== NLA_U32) return false;
      const value = at + 4;
      switch ((word >>> 16) & NLA_TYPE_MASK) {
        case RTA_DST:
          dstAt = value;
          break;
        case RTA_GATEWAY:
          gatewayAt = value;
          gateway = view.getUint32(value, true);
          break;
        case RTA_OIF:
          oif = view.getUint32(value, true);
          break;
        case RTA_PRIORITY:
          priority = view.getUint32(value, true);
          break;
        case RTA_TABLE:
          table = view.getUint32(value, true);
          break;
        default:
          return false;
      }
      at += NLA_U32;
    }
    const tableId = table >= 0 ? table : bytes[header + 4];
    if (dstAt < 0 || gatewayAt < 0 || oif < 0 || tableId === 0) return false;
    const head = view.getUint32(header + 4, true); // table, protocol, scope, type
    const keyed = this.keyed;
    if (
      keyed !== undefined &&
      keyed === this.last &&
      keyed.type === this.type &&
      this.head !== undefined &&
      this.rest !== undefined &&
      head === this.keyHead &&
      rtmFlags === this.keyFlags &&
      tableId === this.keyTable &&
      gateway === this.keyGateway &&
      oif === this.keyOif &&
      priority === this.keyPriority
    ) {
      const out = this.out;
      out.startElement();
      out.bytes(this.head);
      out.ipv4(bytes, dstAt, dstLen);
      out.bytes(this.rest);
      return true;
    }
    const route = decodeRouteAt(bytes, view, offset, length, options);
    this.write(route);
    if (this.last === route && this.rest !== undefined) {
      this.keyed = route;
      this.keyHead = head;
      this.keyFlags = rtmFlags;
      this.keyTable = tableId;
      this.keyGateway = gateway;
      this.keyOif = oif;
      this.keyPriority = priority;
    }
    return true;
  }

  /** Appends one route. */
  write(route: rtnetlink.Route): void {
    const out = this.out;
    out.startElement();
    const type = route.type;
    const dst = route.dst;
    if (route.deleted !== undefined || typeof type !== 'string' || typeof dst !== 'string') {
      anyRoute(out, route);
      return;
    }
    if (type === this.type && this.head !== undefined) {
      out.bytes(this.head);
    } else {
      const mark = out.mark();
      // `type` first: every later field starts with its comma.
      out.ascii('{"type":');
      out.string(type);
      out.ascii(',"dst":');
      this.head = out.copySince(mark);
      this.type = type;
    }
    out.string(dst);
    if (
      route.via !== undefined ||
      route.metrics !== undefined ||
      route.nexthops !== undefined ||
      route.segs !== undefined ||
      route.nh_info !== undefined
    ) {
      writeRest(out, route);
      return;
    }
    const last = this.last;
    if (
      this.rest !== undefined &&
      last !== undefined &&
      last !== route &&
      route.from === last.from &&
      route.nhid === last.nhid &&
      route.tos === last.tos &&
      route.gateway === last.gateway &&
      route.dev === last.dev &&
      route.table === last.table &&
      route.protocol === last.protocol &&
      route.scope === last.scope &&
      route.prefsrc === last.prefsrc &&
      route.metric === last.metric &&
      route.flags === last.flags &&
      route.iif === last.iif &&
      route.pref === last.pref &&
      route.encap === last.encap &&
      route.mode === last.mode &&
      route.expires === last.expires &&
      route.error === last.error &&
      route.family === last.family &&
      route.ifindex === last.ifindex
    ) {
      out.bytes(this.rest);
      return;
    }
    const mark = out.mark();
    writeRest(out, route);
    // Kept only with frozen flags (the decoder's shared arrays): the same array then has the
    // same items, and a hit needs no check but ===.
    this.rest = Object.isFrozen(route.flags) ? out.copySince(mark) : undefined;
    this.last = route;
  }
}

/** The fields after `dst`, and the closing brace. */
function writeRest(out: JsonArray, route: rtnetlink.Route): void {
  text(out, ',"from":', 'from', route.from);
  count(out, ',"nhid":', 'nhid', route.nhid);
  text(out, ',"tos":', 'tos', route.tos);
  text(out, ',"gateway":', 'gateway', route.gateway);
  other(out, 'via', route.via);
  text(out, ',"dev":', 'dev', route.dev);
  text(out, ',"table":', 'table', route.table);
  text(out, ',"protocol":', 'protocol', route.protocol);
  text(out, ',"scope":', 'scope', route.scope);
  text(out, ',"prefsrc":', 'prefsrc', route.prefsrc);
  count(out, ',"metric":', 'metric', route.metric);
  flags(out, route.flags);
  other(out, 'metrics', route.metrics);
  text(out, ',"iif":', 'iif', route.iif);
  const info = route.nh_info;
  if (info === undefined) other(out, 'nexthops', route.nexthops);
  other(out, 'pref', route.pref);
  text(out, ',"encap":', 'encap', route.encap);
  text(out, ',"mode":', 'mode', route.mode);
  other(out, 'segs', route.segs);
  count(out, ',"expires":', 'expires', route.expires);
  count(out, ',"error":', 'error', route.error);
  text(out, ',"family":', 'family', route.family);
  count(out, ',"ifindex":', 'ifindex', route.ifindex);
  if (info !== undefined) {
    other(out, 'nh_info', nexthopInfo(info));
    other(out, 'nexthops', route.nexthops);
  }
  out.ascii('}');
}

/** Any route, field by field in the same order (a deleted one, or one without a type). */
function anyRoute(out: JsonArray, route: rtnetlink.Route): void {
  const record = route as unknown as Record<string, unknown>;
  const info = route.nh_info;
  out.ascii('{');
  let first = true;
  for (const name of ROUTE_FIELDS) {
    if (name === 'nexthops' && info !== undefined) continue;
    if (name === 'nh_info') {
      if (info === undefined) continue;
      first = out.field(name, nexthopInfo(info), first);
      first = out.field('nexthops', route.nexthops, first);
    } else {
      first = out.field(name, record[name], first);
    }
  }
  out.ascii('}');
}
