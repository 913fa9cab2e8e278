// The YNL spec model: a parsed spec object (the YAML of Documentation/netlink/specs, already
// parsed into plain data) normalized into names, numbers and types, with every implicit
// value made explicit the way the kernel's own tools (tools/net/ynl/lib/nlspec.py) do:
// enum entries count up from `value-start` (flags are bit indexes), attributes count up
// from 1, unified operations from 1. The generator and the runtime codecs both read this
// model; C names follow ynl-gen-c's rules so they can be checked against uapi headers.

/** An enum or flags entry. */
export interface YnlEnumEntry {
  readonly name: string;
  /** The value on the wire: the entry's number, or `1 << bit` for flags. */
  readonly value: number;
  /** The C name (`CTRL_ATTR_FAMILY_ID`). */
  readonly cName: string;
}

/** A `definitions:` entry of type enum or flags. */
export interface YnlEnum {
  readonly name: string;
  readonly flags: boolean;
  readonly entries: readonly YnlEnumEntry[];
  /** Defined by another header than the family's (`header:`). */
  readonly header?: string | undefined;
}

/** A member of a fixed-size struct (`definitions:` of type struct). */
export interface YnlMember {
  readonly name: string;
  readonly type: string;
  readonly len?: number | undefined;
  readonly byteOrder?: 'big-endian' | 'little-endian' | undefined;
  readonly enum?: string | undefined;
  readonly displayHint?: string | undefined;
  readonly struct?: string | undefined;
}

/** A fixed-size struct (a family header, or a binary attribute's layout). */
export interface YnlStruct {
  readonly name: string;
  readonly members: readonly YnlMember[];
}

/** One attribute of an attribute set. */
export interface YnlAttribute {
  readonly name: string;
  readonly value: number;
  readonly cName: string;
  readonly type: string;
  readonly subType?: string | undefined;
  readonly nested?: string | undefined;
  readonly multiAttr: boolean;
  readonly byteOrder?: 'big-endian' | 'little-endian' | undefined;
  readonly enum?: string | undefined;
  readonly enumAsFlags: boolean;
  readonly displayHint?: string | undefined;
  readonly struct?: string | undefined;
  readonly subMessage?: string | undefined;
  readonly selector?: string | undefined;
  readonly typeValue?: readonly string[] | undefined;
  /**
   * A struct before the nested attributes of a `nest` (nlring's `fixed-header` on a nest,
   * used by overlays: veth's peer is a `struct ifinfomsg` followed by link attributes).
   */
  readonly fixedHeader?: string | undefined;
  /**
   * A `binary` with a `struct` whose payload is a run of entries, each that struct (its
   * first member, a u16, the entry's length in bytes, padded to 4) followed by the entry's
   * own `nested` attributes: nlring's `sized-entries` (RTA_MULTIPATH, an array of
   * struct rtnexthop each with its route attributes). The value is an array of
   * `{ ...struct, ...attributes }`.
   */
  readonly sizedEntries?: true | undefined;
  /** `checks:` (min, max, min-len, max-len, exact-len, unterminated-ok), numbers resolved. */
  readonly checks: Readonly<Record<string, number | boolean>>;
}

/** An attribute set. */
export interface YnlAttributeSet {
  readonly name: string;
  readonly subsetOf?: string | undefined;
  readonly attributes: readonly YnlAttribute[];
}

/** A sub-message: the attribute set (or struct) chosen by a selector's value. */
export interface YnlSubMessage {
  readonly name: string;
  readonly formats: readonly {
    readonly value: string;
    readonly attributeSet?: string | undefined;
    readonly fixedHeader?: string | undefined;
  }[];
}

/** One direction of an operation: its message id and the attributes it carries. */
export interface YnlMessage {
  readonly value: number;
  readonly attributes: readonly string[];
}

/** An operation. */
export interface YnlOperation {
  readonly name: string;
  readonly cName: string;
  /** The request id (unified model: the command, for do, dump and notify alike). */
  readonly value: number;
  readonly attributeSet?: string | undefined;
  readonly fixedHeader?: string | undefined;
  readonly flags: readonly string[];
  readonly do?:
    | { readonly request?: YnlMessage | undefined; readonly reply?: YnlMessage | undefined }
    | undefined;
  readonly dump?:
    | { readonly request?: YnlMessage | undefined; readonly reply?: YnlMessage | undefined }
    | undefined;
  /** For a notification: the operation whose reply it repeats, or its own attributes. */
  readonly notify?: string | undefined;
  readonly event?: readonly string[] | undefined;
  readonly mcgrp?: string | undefined;
}

/** A normalized family. */
export interface YnlFamily {
  readonly name: string;
  readonly protocol: 'genetlink' | 'genetlink-c' | 'genetlink-legacy' | 'netlink-raw';
  /** NETLINK_* protocol number for netlink-raw families, 16 (GENERIC) otherwise. */
  readonly protonum: number;
  readonly uapiHeader: string;
  readonly version: number;
  /** C names of the family-name and version macros (genetlink). */
  readonly cFamilyName: string;
  readonly cVersionName: string;
  readonly fixedHeader?: string | undefined;
  readonly model: 'unified' | 'directional';
  readonly enums: readonly YnlEnum[];
  readonly structs: readonly YnlStruct[];
  readonly constants: readonly { readonly name: string; readonly value: number }[];
  readonly attributeSets: readonly YnlAttributeSet[];
  readonly subMessages: readonly YnlSubMessage[];
  readonly operations: readonly YnlOperation[];
  readonly mcastGroups: readonly { readonly name: string; readonly cName: string }[];
}

type Raw = Record<string, unknown>;

const PROTOCOLS = ['genetlink', 'genetlink-c', 'genetlink-legacy', 'netlink-raw'] as const;

/** `c_upper` of ynl-gen-c: `ctrl-attr-family-id` → `CTRL_ATTR_FAMILY_ID`. */
export function cUpper(name: string): string {
  return name.replace(/[-.]/g, '_').toUpperCase();
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function fail(family: string, what: string): never {
  throw new TypeError(`ynl spec ${family}: ${what}`);
}

/**
 * Normalizes a parsed YNL spec into a {@link YnlFamily}. Throws a TypeError naming the
 * family and the field when the spec is not a YNL spec.
 *
 * @example
 * // import { readFileSync } from 'node:fs'; import YAML from 'yaml';
 * declare const YAML: { parse(text: string): unknown };
 * declare function readFileSync(path: string, encoding: 'utf8'): string;
 * const family = normalizeSpec(YAML.parse(readFileSync('nlctrl.yaml', 'utf8')));
 * family.attributeSets[0].attributes[0]; // { name: 'family-id', value: 1, type: 'u16', ... }
 */
export function normalizeSpec(spec: unknown): YnlFamily {
  if (!isRecord(spec)) throw new TypeError('ynl spec: expected an object');
  const name = str(spec.name) ?? fail('?', 'name must be a string');
  const protocol = (str(spec.protocol) ?? 'genetlink') as YnlFamily['protocol'];
  if (!PROTOCOLS.includes(protocol)) fail(name, `unknown protocol ${String(spec.protocol)}`);
  const constants: { name: string; value: number }[] = [];
  const constValue = new Map<string, number>();
  const resolve = (value: unknown): number | undefined => {
    if (typeof value === 'number') return value;
    if (typeof value === 'string') {
      const known = constValue.get(value);
      if (known !== undefined) return known;
      const m = /^(\w[\w-]*)\s*\*\s*(\d+)$/.exec(value);
      if (m && constValue.has(m[1] ?? '')) return (constValue.get(m[1] ?? '') ?? 0) * Number(m[2]);
      if (/^-?\d+$/.test(value)) return Number(value);
      if (/^0x[0-9a-f]+$/i.test(value)) return Number(value);
    }
    return undefined;
  };
  const enums: YnlEnum[] = [];
  const structs: YnlStruct[] = [];
  for (const def of list(spec.definitions)) {
    if (!isRecord(def)) continue;
    const defName = str(def.name) ?? fail(name, 'a definition without a name');
    const type = str(def.type);
    if (type === 'const') {
      const value = resolve(def.value);
      if (value !== undefined) {
        constants.push({ name: defName, value });
        constValue.set(defName, value);
      }
    } else if (type === 'enum' || type === 'flags') {
      const prefix = str(def['name-prefix']) ?? `${name}-${defName}-`;
      let next = typeof def['value-start'] === 'number' ? def['value-start'] : 0;
      const entries: YnlEnumEntry[] = [];
      for (const entry of list(def.entries)) {
        const entryName = isRecord(entry) ? str(entry.name) : str(entry);
        if (entryName === undefined) fail(name, `${defName}: an entry without a name`);
        const explicit =
          isRecord(entry) && typeof entry.value === 'number' ? entry.value : undefined;
        const index = explicit ?? next;
        next = index + 1;
        entries.push({
          name: entryName,
          value: type === 'flags' ? 2 ** index : index,
          cName: cUpper(`${prefix}${entryName}`),
        });
      }
      enums.push({ name: defName, flags: type === 'flags', entries, header: str(def.header) });
    } else if (type === 'struct') {
      structs.push({
        name: defName,
        members: list(def.members)
          .filter(isRecord)
          .map((m) => ({
            name: str(m.name) ?? fail(name, `${defName}: a member without a name`),
            type: str(m.type) ?? fail(name, `${defName}: a member without a type`),
            len: resolve(m.len),
            byteOrder: str(m['byte-order']) as YnlMember['byteOrder'],
            enum: str(m.enum),
            displayHint: str(m['display-hint']),
            struct: str(m.struct),
          })),
      });
    }
  }

  const rawSets = list(spec['attribute-sets']).filter(isRecord);
  const attributeSets: YnlAttributeSet[] = [];
  const byName = new Map<string, YnlAttributeSet>();
  for (const set of rawSets) {
    const setName = str(set.name) ?? fail(name, 'an attribute set without a name');
    const subsetOf = str(set['subset-of']);
    const prefix = cUpper(
      str(set['name-prefix']) ?? (setName === name ? `${name}-a-` : `${name}-a-${setName}-`),
    );
    const parent = subsetOf === undefined ? undefined : byName.get(subsetOf);
    if (subsetOf !== undefined && parent === undefined) {
      fail(name, `${setName}: subset-of ${subsetOf} comes before its set`);
    }
    let next = 1;
    const attributes: YnlAttribute[] = [];
    for (const a of list(set.attributes).filter(isRecord)) {
      const attrName = str(a.name) ?? fail(name, `${setName}: an attribute without a name`);
      const base = parent?.attributes.find((p) => p.name === attrName);
      if (parent !== undefined && base === undefined) {
        fail(name, `${setName}: ${attrName} is not in ${subsetOf}`);
      }
      const value = base?.value ?? (typeof a.value === 'number' ? a.value : next);
      next = value + 1;
      const checks: Record<string, number | boolean> = {};
      if (isRecord(a.checks)) {
        for (const [key, v] of Object.entries(a.checks)) {
          const n = typeof v === 'boolean' ? v : resolve(v);
          if (n !== undefined) checks[key] = n;
        }
      }
      const type = str(a.type) ?? base?.type ?? fail(name, `${setName}.${attrName}: no type`);
      attributes.push({
        name: attrName,
        value,
        cName:
          base?.cName ??
          (typeof a['name-prefix'] === 'string'
            ? cUpper(`${a['name-prefix']}${attrName}`)
            : `${prefix}${cUpper(attrName)}`),
        type,
        subType: str(a['sub-type']) ?? base?.subType,
        nested: str(a['nested-attributes']) ?? base?.nested,
        multiAttr: a['multi-attr'] === true || (base?.multiAttr ?? false),
        byteOrder: (str(a['byte-order']) ?? base?.byteOrder) as YnlAttribute['byteOrder'],
        enum: str(a.enum) ?? base?.enum,
        enumAsFlags: a['enum-as-flags'] === true || (base?.enumAsFlags ?? false),
        displayHint: str(a['display-hint']) ?? base?.displayHint,
        struct: str(a.struct) ?? base?.struct,
        subMessage: str(a['sub-message']) ?? base?.subMessage,
        selector: str(a.selector) ?? base?.selector,
        typeValue: Array.isArray(a['type-value']) ? a['type-value'].map(String) : base?.typeValue,
        fixedHeader: str(a['fixed-header']) ?? base?.fixedHeader,
        ...(a['sized-entries'] === true || base?.sizedEntries === true
          ? { sizedEntries: true as const }
          : {}),
        checks: Object.keys(checks).length > 0 ? checks : (base?.checks ?? {}),
      });
    }
    const normalized = { name: setName, subsetOf, attributes };
    attributeSets.push(normalized);
    byName.set(setName, normalized);
  }

  const subMessages: YnlSubMessage[] = list(spec['sub-messages'])
    .filter(isRecord)
    .map((s) => ({
      name: str(s.name) ?? fail(name, 'a sub-message without a name'),
      formats: list(s.formats)
        .filter(isRecord)
        .map((f) => ({
          value: String(f.value),
          attributeSet: str(f['attribute-set']),
          fixedHeader: str(f['fixed-header']),
        })),
    }));

  const ops = isRecord(spec.operations) ? spec.operations : {};
  const model = (str(ops['enum-model']) ?? 'unified') as YnlFamily['model'];
  const opPrefix = str(ops['name-prefix']) ?? `${name}-cmd-`;
  const familyFixedHeader = str(ops['fixed-header']);
  const operations: YnlOperation[] = [];
  // Unified: one counter from 1. Directional (nlspec.py): requests (user → kernel) and
  // replies/notifications (kernel → user) count separately, each from 1; a do/dump advances
  // the request counter and, when it has a reply, the reply counter; a notification
  // advances only the reply counter.
  let nextOp = 1;
  let nextReply = 1;
  for (const op of list(ops.list).filter(isRecord)) {
    const opName = str(op.name) ?? fail(name, 'an operation without a name');
    const explicit = typeof op.value === 'number' ? op.value : undefined;
    const isNotify = op.notify !== undefined || op.event !== undefined;
    const rawMode = isRecord(op.do) ? op.do : isRecord(op.dump) ? op.dump : undefined;
    const explicitValue = (m: unknown): number | undefined =>
      isRecord(m) && typeof m.value === 'number' ? m.value : undefined;
    let requestValue: number;
    let replyValue: number;
    if (model === 'unified') {
      requestValue = explicit ?? nextOp;
      replyValue = requestValue;
      nextOp = requestValue + 1;
    } else if (isNotify) {
      requestValue = explicit ?? nextReply;
      replyValue = requestValue;
      nextReply = replyValue + 1;
    } else {
      requestValue = explicitValue(rawMode?.request) ?? explicit ?? nextOp;
      replyValue = explicitValue(rawMode?.reply) ?? nextReply;
      nextOp = requestValue + 1;
      if (isRecord(rawMode?.reply)) nextReply = replyValue + 1;
    }
    const message = (m: unknown, value: number): YnlMessage | undefined => {
      if (!isRecord(m)) return undefined;
      return { value: explicitValue(m) ?? value, attributes: list(m.attributes).map(String) };
    };
    const mode = (m: unknown) =>
      isRecord(m)
        ? { request: message(m.request, requestValue), reply: message(m.reply, replyValue) }
        : undefined;
    operations.push({
      name: opName,
      cName: cUpper(`${opPrefix}${opName}`),
      value: requestValue,
      attributeSet: str(op['attribute-set']),
      fixedHeader: str(op['fixed-header']) ?? familyFixedHeader,
      flags: list(op.flags).map(String),
      do: mode(op.do),
      dump: mode(op.dump),
      notify: str(op.notify),
      event: isRecord(op.event) ? list(op.event.attributes).map(String) : undefined,
      mcgrp: str(op.mcgrp),
    });
  }

  const mcgrps = isRecord(spec.mcast_groups)
    ? spec.mcast_groups
    : isRecord(spec['mcast-groups'])
      ? spec['mcast-groups']
      : {};
  const mcastGroups = list(mcgrps.list)
    .filter(isRecord)
    .map((g) => {
      const groupName = str(g.name) ?? fail(name, 'a multicast group without a name');
      return {
        name: groupName,
        cName: str(g['c-define-name']) ?? cUpper(`${name}-mcgrp-${groupName}`),
      };
    });

  return {
    name,
    protocol,
    protonum: protocol === 'netlink-raw' ? Number(spec.protonum ?? 0) : 16,
    uapiHeader: str(spec['uapi-header']) ?? `linux/${name}.h`,
    version: typeof spec.version === 'number' ? spec.version : 1,
    cFamilyName: str(spec['c-family-name']) ?? cUpper(`${name}-family-name`),
    cVersionName: str(spec['c-version-name']) ?? cUpper(`${name}-family-version`),
    fixedHeader: familyFixedHeader,
    model,
    enums,
    structs,
    constants,
    attributeSets,
    subMessages,
    operations,
    mcastGroups,
  };
}
