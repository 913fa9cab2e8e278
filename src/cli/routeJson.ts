// A route's JSON as `nlring routes --json` prints it, written field by field into the output
// chunks: ip's field names and order (the order of ROUTE_FIELDS), no copy of the route, no
// JSON.stringify per route. A field of a type other than the decoder's goes through the
// generic writer, so the text is always JSON.stringify's for the same fields in this order.
import type { rtnetlink } from '../index.js';
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

  constructor(out: JsonArray) {
    this.out = out;
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
