import { map, type Observable } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { GENL_HDRLEN } from '../families/genl/controller.js';
import { type YnlCodec, type YnlValue, ynlCodec } from '../families/ynl/codec.js';
import { normalizeSpec, type YnlFamily, type YnlOperation } from '../families/ynl/spec.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { type GenlOptions, genlDump, genlMonitor, genlRequest } from './genl.js';

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
 * Sources for any generic netlink family described by a YNL spec — the parsed YAML of a
 * kernel spec, or a normalized family from a generated module — with codecs built at run
 * time: `do`, `dump` and `monitor` by operation name, values named as in the spec.
 *
 * Each source is cold: it opens a NETLINK_GENERIC socket per subscription (or calls
 * `options.open`), resolves the family id by name (cached per namespace), and closes the
 * socket at teardown. Errors with the kernel's NetlinkError; bad arguments (an unknown
 * operation or attribute) throw a TypeError at call time. netlink-raw families are not
 * served here (their sockets are the rtnetlink and netfilter sources).
 *
 * @example
 * declare const netdevSpec: YnlFamily;
 * ynl(netdevSpec).do('dev-get', { ifindex: 1 }).subscribe((dev) => console.log(dev['xdp-features']));
 */
export function ynl(spec: unknown): YnlFamilySources {
  const check = argumentChecker('ynl');
  const family = isFamily(spec) ? spec : normalizeSpec(spec);
  if (family.protocol === 'netlink-raw') {
    check.fail(
      'spec',
      'a generic netlink spec (genetlink, genetlink-c or genetlink-legacy)',
      family.protocol,
    );
  }
  const codec = ynlCodec(family);
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
      const start = m.payloadOffset + GENL_HDRLEN;
      const header =
        op.fixedHeader === undefined ? {} : codec.decodeStruct(op.fixedHeader, m.view, start);
      if (setName === undefined) return header;
      return { ...header, ...codec.decode(setName, m.view, start + headerSize(op), m.end) };
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
      return genlRequest(request(op, 'do', value, options)).pipe(map(decoder(op, op.attributeSet)));
    },
    dump(name, args, options = {}) {
      const op = operation('ynl.dump', name, 'dump');
      const value = checkArgs('ynl.dump', args, op);
      return genlDump(request(op, 'dump', value, options)).pipe(map(decoder(op, op.attributeSet)));
    },
    monitor(groups, options = {}) {
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
