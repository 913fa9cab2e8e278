import { map, type Observable } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { GENL_HDRLEN } from '../families/genl/controller.js';
import { type YnlCodec, type YnlValue, ynlCodec } from '../families/ynl/codec.js';
import { normalizeSpec, type YnlFamily, type YnlOperation } from '../families/ynl/spec.js';
import { type NetlinkProtocol, openNetlinkSocket } from '../io/openNetlinkSocket.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST } from '../netlink/constants.js';
import { MessageWriter } from '../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
import { dumpMessages } from './dumpMessages.js';
import { type GenlOptions, genlDump, genlMonitor, genlRequest } from './genl.js';
import { request as rawRequest } from './request.js';

/** The protocols of the netlink-raw families (`protonum` of their specs), by number. */
const RAW_PROTOCOLS: Record<number, NetlinkProtocol> = { 0: 'route', 12: 'netfilter' };
const RAW_SEQ = 1;

/** What {@link ynl} returns: a family's operations as sources, by operation name. */
export interface YnlFamilySources {
  /** The normalized family. */
  readonly family: YnlFamily;
  /** The codec (decoders and builders of its attribute sets). */
  readonly codec: YnlCodec;
  /** A `do` request: emits the decoded replies, completes at the acknowledgement. */
  do(operation: string, args?: YnlValue, options?: GenlOptions): Observable<YnlValue>;
  /** A `dump`: emits one decoded value per reply, completes at NLMSG_DONE. */
  dump(operation: string, args?: YnlValue, options?: GenlOptions): Observable<YnlValue>;
  /** The notifications of multicast groups (by name), decoded with their operation's set. */
  monitor(groups: readonly string[], options?: GenlOptions): Observable<YnlValue & { op: string }>;
}

function isFamily(value: unknown): value is YnlFamily {
  return (
    typeof value === 'object' && value !== null && 'attributeSets' in value && 'operations' in value
  );
}

/**
 * Sources for any netlink family described by a YNL spec — the parsed YAML of a kernel
 * spec, or a normalized family from a generated module — with codecs built at run time:
 * `do`, `dump` and `monitor` by operation name, values named as in the spec.
 *
 * Each source is cold: it opens a socket per subscription (or calls `options.open`) and
 * closes it at teardown. Generic netlink families resolve their id by name (cached per
 * namespace); netlink-raw families of NETLINK_ROUTE and NETLINK_NETFILTER (rt-rule, tc,
 * conntrack, nftables, …) send the operation's message type with its fixed header as is
 * (`do` and `dump`; their notifications are the rtnetlink and netfilter monitors). Errors
 * with the kernel's NetlinkError; bad arguments (an unknown operation or attribute) throw a
 * TypeError at call time.
 *
 * @example
 * declare const netdevSpec: YnlFamily;
 * ynl(netdevSpec).do('dev-get', { ifindex: 1 }).subscribe((dev) => console.log(dev['xdp-features']));
 */
export function ynl(spec: unknown): YnlFamilySources {
  const check = argumentChecker('ynl');
  const family = isFamily(spec) ? spec : normalizeSpec(spec);
  const raw = family.protocol === 'netlink-raw';
  const rawProtocol = RAW_PROTOCOLS[family.protonum];
  if (raw && rawProtocol === undefined) {
    check.fail(
      'spec',
      'a netlink-raw spec of NETLINK_ROUTE (0) or NETLINK_NETFILTER (12)',
      family.protonum,
    );
  }
  const codec = ynlCodec(family);
  /** The endpoint of a netlink-raw family's request, in the namespace asked for. */
  const rawOpen = (options: GenlOptions) => (): RingEndpoint => {
    const protocol = rawProtocol ?? 'route';
    if (options.open !== undefined)
      return options.open({ protocol, groups: [], netns: options.netns });
    return openNetlinkSocket(
      options.netns === undefined ? { protocol } : { protocol, netns: options.netns },
    );
  };
  const headerSize = (op: YnlOperation): number =>
    op.fixedHeader === undefined ? 0 : codec.structSize(op.fixedHeader);
  const operation = (fn: string, name: string, mode: 'do' | 'dump'): YnlOperation => {
    const op = family.operations.find((o) => o.name === name);
    if (op === undefined || op[mode] === undefined) {
      const names = family.operations.filter((o) => o[mode] !== undefined).map((o) => o.name);
      return argumentChecker(fn).fail('operation', `one of ${names.join(', ')}`, name);
    }
    return op;
  };
  const decoder =
    (op: YnlOperation, setName: string | undefined) =>
    (m: NetlinkMessage): YnlValue => {
      const start = m.payloadOffset + (raw ? 0 : GENL_HDRLEN);
      const header =
        op.fixedHeader === undefined ? {} : codec.decodeStruct(op.fixedHeader, m.view, start);
      if (setName === undefined) return header;
      const at = start + (raw ? (headerSize(op) + 3) & ~3 : headerSize(op));
      return { ...header, ...codec.decode(setName, m.view, at, m.end) };
    };
  /** The whole request message of a netlink-raw operation: nlmsghdr, fixed header, attributes. */
  const rawMessage = (op: YnlOperation, mode: 'do' | 'dump', args: YnlValue): Uint8Array => {
    const type = op[mode]?.request?.value ?? op.value;
    const w = new MessageWriter();
    w.begin(type, NLM_F_REQUEST | (mode === 'dump' ? NLM_F_DUMP : NLM_F_ACK), RAW_SEQ, 0);
    request(op, mode, args, {}).attributes(w);
    return w.end().finish();
  };
  const request = (op: YnlOperation, mode: 'do' | 'dump', args: YnlValue, options: GenlOptions) => {
    const setName = op.attributeSet;
    const command = op[mode]?.request?.value ?? op.value;
    const header = op.fixedHeader;
    const body = { ...args };
    return {
      family: family.name,
      command,
      version: family.version,
      netns: options.netns,
      open: options.open,
      attributes: (w: import('../netlink/MessageWriter.js').MessageWriter) => {
        if (header !== undefined) codec.buildStruct(header, w, body);
        if (setName !== undefined) {
          const own: YnlValue = {};
          const names = new Set(
            family.attributeSets.find((s) => s.name === setName)?.attributes.map((a) => a.name),
          );
          for (const [k, v] of Object.entries(body)) if (names.has(k)) own[k] = v;
          codec.build(setName, w, own);
        }
      },
    };
  };
  const checkArgs = (fn: string, args: YnlValue | undefined, op: YnlOperation): YnlValue => {
    const value = argumentChecker(fn).options(args) as YnlValue;
    if (op.attributeSet !== undefined) {
      // Fail at call time for names the set lacks (the builder would fail at subscribe).
      const names = new Set(
        family.attributeSets.find((s) => s.name === op.attributeSet)?.attributes.map((a) => a.name),
      );
      const struct = family.structs.find((s) => s.name === op.fixedHeader);
      for (const m of struct?.members ?? []) names.add(m.name);
      for (const k of Object.keys(value)) {
        if (!names.has(k))
          argumentChecker(fn).fail(`args.${k}`, `an attribute of ${op.attributeSet}`, value[k]);
      }
    }
    return value;
  };
  return {
    family,
    codec,
    do(name, args, options = {}) {
      const op = operation('ynl.do', name, 'do');
      const value = checkArgs('ynl.do', args, op);
      if (raw)
        return rawRequest(rawOpen(options), rawMessage(op, 'do', value), {
          description: `${family.name} ${name}`,
        }).pipe(map(decoder(op, op.attributeSet)));
      return genlRequest(request(op, 'do', value, options)).pipe(map(decoder(op, op.attributeSet)));
    },
    dump(name, args, options = {}) {
      const op = operation('ynl.dump', name, 'dump');
      const value = checkArgs('ynl.dump', args, op);
      if (raw)
        return dumpMessages(rawOpen(options), rawMessage(op, 'dump', value), {
          description: `${family.name} ${name}`,
        }).pipe(map(decoder(op, op.attributeSet)));
      return genlDump(request(op, 'dump', value, options)).pipe(map(decoder(op, op.attributeSet)));
    },
    monitor(groups, options = {}) {
      if (raw)
        check.fail(
          'spec',
          'a generic netlink spec for monitor (netlink-raw families: monitor())',
          family.name,
        );
      return genlMonitor({
        family: family.name,
        groups,
        netns: options.netns,
        open: options.open,
      }).pipe(
        map((m) => {
          const cmd = m.view.getUint8(m.payloadOffset);
          const op =
            family.operations.find(
              (o) => (o.notify !== undefined || o.event !== undefined) && o.value === cmd,
            ) ?? family.operations.find((o) => o.value === cmd);
          if (op === undefined) return { op: String(cmd) };
          return { op: op.name, ...decoder(op, op.attributeSet)(m) };
        }),
      );
    },
  };
}
