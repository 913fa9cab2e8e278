// The generated decoders of a family: for each struct a typed decoder, for each attribute
// set a TypeScript type of its plain value, an eager decoder (one switch over the attribute
// types, straight-line reads) and a lazy view class (typed getters reading the borrowed
// bytes on access, toJSON, detach). Their values equal the table-driven codec's, which
// stays for specs read at run time; test/families/ynl/roundtrip.test.ts holds them equal.
import { isTypeValued, ynlCodec } from '../../src/families/ynl/codec.js';
import type {
  YnlAttribute,
  YnlAttributeSet,
  YnlFamily,
  YnlStruct,
} from '../../src/families/ynl/spec.js';

const SIZE: Record<string, number> = {
  u8: 1,
  s8: 1,
  u16: 2,
  s16: 2,
  u32: 4,
  s32: 4,
  u64: 8,
  s64: 8,
};

const READ: Record<string, string> = {
  u8: 'getUint8',
  s8: 'getInt8',
  u16: 'getUint16',
  s16: 'getInt16',
  u32: 'getUint32',
  s32: 'getInt32',
  u64: 'getBigUint64',
  s64: 'getBigInt64',
};

const RESERVED = new Set(['toJSON', 'detach', 'live', 'constructor', 'of']);

function pascal(name: string): string {
  const p = name
    .split(/[^a-zA-Z0-9]+/)
    .filter((x) => x !== '')
    .map((x) => x[0]?.toUpperCase() + x.slice(1))
    .join('');
  return /^\d/.test(p) ? `_${p}` : p;
}

function camelName(name: string): string {
  const p = pascal(name);
  const c = p.startsWith('_') ? p : (p[0]?.toLowerCase() ?? '') + p.slice(1);
  return RESERVED.has(c) ? `${c}Attr` : c;
}

/** `expr` with its string literals emptied, to test which locals it uses. */
const bare = (expr: string): string => expr.replace(/'(?:[^'\\]|\\.)*'/g, "''");

const q = (s: string): string => JSON.stringify(s).replace(/'/g, "\\'").replace(/^"|"$/g, "'");

/** A property key: bare when it is an identifier. */
function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : q(name);
}

/** A view's fields, as a generated getter hands them to findAttr. */
const FIELDS = 'this._o, this._id, this._v, this._s, this._e';

/** The generated decoders of `family`: the code and the helpers of view.ts it uses. */
export function familyViews(family: YnlFamily): { code: string; helpers: Set<string> } {
  const codec = ynlCodec(family);
  const helpers = new Set<string>();
  const use = (h: string): string => {
    helpers.add(h);
    return h;
  };
  /** The owner type's name, imported as a type. */
  const viewOwner = (): string => {
    helpers.add('type ViewOwner');
    return 'ViewOwner';
  };
  const top: string[] = [];
  const taken = new Set<string>();
  const unique = (base: string, suffix: string): string => {
    let n = base;
    if (taken.has(n)) n = `${base}${suffix}`;
    while (taken.has(n)) n = `${n}_`;
    taken.add(n);
    return n;
  };
  const setType = new Map<string, string>();
  const setView = new Map<string, string>();
  const setDecode = new Map<string, string>();
  const structType = new Map<string, string>();
  const structDecode = new Map<string, string>();
  const structs = new Map(family.structs.map((s) => [s.name, s]));
  const sets = new Map(family.attributeSets.map((s) => [s.name, s]));
  for (const s of family.attributeSets) {
    const t = unique(pascal(s.name), 'Set');
    setType.set(s.name, t);
    setView.set(s.name, unique(`${t}View`, 'Set'));
    setDecode.set(s.name, unique(`decode${t}`, 'Set'));
  }
  for (const s of family.structs) {
    const t = unique(pascal(s.name), 'Struct');
    structType.set(s.name, t);
    structDecode.set(s.name, unique(`decode${t}`, 'Struct'));
  }

  // Enum names: one table and one mapper per enum and use (plain or as flags).
  const enumIds = new Map<string, string>();
  const enumMapper = (name: string | undefined, asFlags: boolean): string | undefined => {
    const e = name === undefined ? undefined : family.enums.find((x) => x.name === name);
    if (e === undefined) return undefined;
    const flags = e.flags || asFlags;
    const id = `${flags ? 'flags' : 'names'}${pascal(e.name)}`;
    if (!enumIds.has(id)) {
      enumIds.set(id, id);
      if (flags) {
        const table = e.entries.map((x) => [e.flags ? x.value : 2 ** x.value, x.name]);
        top.push(
          `const ${id}Table: readonly (readonly [number, string])[] = ${JSON.stringify(table)};`,
          `function ${id}(n: number): Array<string | number> {`,
          `  return ${use('flagNames')}(${id}Table, n);`,
          '}',
        );
      } else {
        const seen = new Set<number>();
        const entries: string[] = [];
        for (const x of e.entries) {
          if (seen.has(x.value)) continue;
          seen.add(x.value);
          entries.push(`${x.value < 0 ? `'${x.value}'` : x.value}: ${q(x.name)}`);
        }
        top.push(
          `const ${id}Table: Record<number, string> = { ${entries.join(', ')} };`,
          `function ${id}(n: number): string | number {`,
          `  return ${id}Table[n] ?? n;`,
          '}',
        );
      }
    }
    return id;
  };
  const enumType = (name: string | undefined, asFlags: boolean): string | undefined => {
    const e = name === undefined ? undefined : family.enums.find((x) => x.name === name);
    if (e === undefined) return undefined;
    return e.flags || asFlags ? 'Array<string | number>' : 'string | number';
  };

  // Structs.
  const structTs = (s: YnlStruct): string[] => {
    const lines = [`/** struct ${s.name}. */`, `export interface ${structType.get(s.name)} {`];
    for (const m of s.members) {
      if (m.type === 'pad') continue;
      let t: string;
      if (SIZE[m.type] !== undefined)
        t =
          SIZE[m.type] === 8
            ? 'bigint'
            : (m.enum !== undefined &&
                enumType(m.enum, family.enums.find((e) => e.name === m.enum)?.flags ?? false)) ||
              'number';
      else if (m.struct !== undefined) t = structType.get(m.struct) ?? 'Record<string, unknown>';
      else if (m.type === 'string') t = 'string';
      else t = m.displayHint === undefined ? 'Uint8Array' : 'string | Uint8Array';
      lines.push(`  ${key(m.name)}: ${t};`);
    }
    lines.push('}', '');
    return lines;
  };
  const structFn = (s: YnlStruct): string[] => {
    const size = codec.structSize(s.name);
    const lines = [
      `/** Decodes struct ${s.name} (${size} bytes) at \`at\`; its bytes must end by \`end\`. */`,
      `export function ${structDecode.get(s.name)}(v: DataView, at: number, end: number): ${structType.get(s.name)} {`,
      `  if (at < 0 || at + ${size} > end || end > v.byteLength) ${use('structPast')}(${q(s.name)}, at);`,
      '  return {',
    ];
    let at = 0;
    for (const m of s.members) {
      const size = SIZE[m.type];
      const little = m.byteOrder !== 'big-endian';
      let expr: string | undefined;
      if (size !== undefined) {
        expr = `v.${READ[m.type]}(at + ${at}${size > 1 ? `, ${little}` : ''})`;
        if (size < 8 && m.enum !== undefined) {
          const e = family.enums.find((x) => x.name === m.enum);
          const f = enumMapper(m.enum, e?.flags ?? false);
          if (f !== undefined) expr = `${f}(${expr})`;
        }
        at += size;
      } else if (m.struct !== undefined) {
        expr = `${structDecode.get(m.struct)}(v, at + ${at}, end)`;
        at += codec.structSize(m.struct);
      } else {
        const len = m.len ?? 0;
        if (m.type !== 'pad')
          expr =
            m.type === 'string'
              ? `${use('text')}(v, at + ${at}, ${len})`
              : m.displayHint !== undefined
                ? `${use('hinted')}(v, at + ${at}, ${len}, ${q(m.displayHint)})`
                : `${use('copy')}(v, at + ${at}, ${len})`;
        at += len;
      }
      if (expr !== undefined) lines.push(`    ${key(m.name)}: ${expr},`);
    }
    lines.push('  };', '}', '');
    return lines;
  };

  const subMessages = new Map(family.subMessages.map((s) => [s.name, s]));
  const subFns = new Map<string, string>();
  const subTypes = new Map<string, string>();
  const subMessageFn = (name: string): { fn: string; type: string } | undefined => {
    const sub = subMessages.get(name);
    if (sub === undefined) return undefined;
    const known = subFns.get(name);
    if (known !== undefined) return { fn: known, type: subTypes.get(name) ?? 'unknown' };
    const fn = `subMessage${pascal(name)}`;
    const types: string[] = [];
    const cases: string[] = [];
    for (const f of sub.formats) {
      const parts: string[] = [];
      const exprs: string[] = [];
      let start = 'o';
      if (f.fixedHeader !== undefined && structs.has(f.fixedHeader)) {
        parts.push(structType.get(f.fixedHeader) ?? '{}');
        exprs.push(`...${structDecode.get(f.fixedHeader)}(v, o, o + n)`);
        start = `o + ${codec.structSize(f.fixedHeader)}`;
      }
      if (f.attributeSet !== undefined && sets.has(f.attributeSet)) {
        parts.push(setType.get(f.attributeSet) ?? '{}');
        exprs.push(`...${setDecode.get(f.attributeSet)}(v, ${start}, o + n)`);
      }
      types.push(parts.length === 0 ? 'Record<string, never>' : parts.join(' & '));
      cases.push(`    case ${q(f.value)}:`, `      return { ${exprs.join(', ')} };`);
    }
    const type = [...new Set([...types, 'Uint8Array'])].join(' | ');
    subFns.set(name, fn);
    subTypes.set(name, type);
    top.push(
      `function ${fn}(v: DataView, o: number, n: number, selector: unknown): ${type} {`,
      '  switch (String(selector)) {',
      ...cases,
      '    default:',
      `      return ${use('copy')}(v, o, n);`,
      '  }',
      '}',
    );
    return { fn, type };
  };

  /** The TS type and the value expression (over v, o, n, h) of one attribute. */
  const attributeValue = (
    attr: YnlAttribute,
    lazy: boolean,
  ): { type: string; expr: string } | undefined => {
    const little = attr.byteOrder !== 'big-endian';
    const t = attr.type;
    const size = SIZE[t];
    const name = q(attr.name);
    if (t === 'pad' || t === 'unused' || t === 'sub-message') return undefined;
    if (size !== undefined) {
      const read = `(n < ${size} ? ${use('short')}(${name}, '${t}', n, h) : v.${READ[t]}(o${size > 1 ? `, ${little}` : ''}))`;
      const mapper = enumMapper(attr.enum, attr.enumAsFlags);
      const et = enumType(attr.enum, attr.enumAsFlags);
      if (mapper === undefined || et === undefined)
        return { type: size === 8 ? 'bigint' : 'number', expr: read };
      if (size === 8)
        return { type: `${et} | bigint`, expr: `${use('mapBig')}(${read}, ${mapper})` };
      return { type: et, expr: `${mapper}(${read})` };
    }
    switch (t) {
      case 'flag':
        return { type: 'true', expr: 'true' };
      case 'uint':
      case 'sint': {
        const read = `${use('varint')}(v, o, n, h, ${name}, ${t === 'sint'}, ${little})`;
        const mapper = enumMapper(attr.enum, attr.enumAsFlags);
        const et = enumType(attr.enum, attr.enumAsFlags);
        if (mapper === undefined || et === undefined)
          return { type: 'number | bigint', expr: read };
        return { type: `${et} | bigint`, expr: `${use('mapNumber')}(${read}, ${mapper})` };
      }
      case 'string':
        return { type: 'string', expr: `${use('text')}(v, o, n)` };
      case 'binary': {
        if (
          attr.sizedEntries === true &&
          attr.struct !== undefined &&
          structs.has(attr.struct) &&
          attr.nested !== undefined &&
          sets.has(attr.nested)
        ) {
          // Each entry: the struct, then its own attributes; one plain object, lazy or not.
          const size = codec.structSize(attr.struct);
          return {
            type: `Array<${structType.get(attr.struct)} & ${setType.get(attr.nested)}>`,
            expr: `${use('sizedEntries')}(v, o, n, ${name}, ${size}, (x, s, e) => ({ ...${structDecode.get(attr.struct)}(x, s, e), ...${setDecode.get(attr.nested)}(x, s + ${size}, e) }))`,
          };
        }
        if (attr.struct !== undefined && structs.has(attr.struct))
          return {
            type: structType.get(attr.struct) ?? 'unknown',
            expr: `${structDecode.get(attr.struct)}(v, o, o + n)`,
          };
        if (attr.subType !== undefined && SIZE[attr.subType] !== undefined) {
          const et = SIZE[attr.subType] === 8 ? 'bigint' : 'number';
          return {
            type: `${et}[]`,
            expr: `${use('scalars')}<${et}>(v, o, n, '${attr.subType}', ${little})`,
          };
        }
        if (attr.displayHint !== undefined)
          return {
            type: 'string | Uint8Array',
            expr: `${use('hinted')}(v, o, n, ${q(attr.displayHint)})`,
          };
        return { type: 'Uint8Array', expr: `${use('copy')}(v, o, n)` };
      }
      case 'bitfield32': {
        const mapper = enumMapper(attr.enum, true);
        const et = mapper === undefined ? 'number' : 'Array<string | number>';
        return {
          type: `{ value: ${et}; selector: ${et} }`,
          expr: `${use('bitfield')}(v, o, n, h, ${name}, ${mapper ?? use('plain')})`,
        };
      }
      case 'nest': {
        if (attr.nested === undefined || !sets.has(attr.nested))
          return { type: 'Uint8Array', expr: `${use('copy')}(v, o, n)` };
        if (attr.fixedHeader !== undefined && structs.has(attr.fixedHeader)) {
          // A header, then the nested set: one plain object, lazy or not.
          const size = codec.structSize(attr.fixedHeader);
          return {
            type: `${structType.get(attr.fixedHeader)} & ${setType.get(attr.nested)}`,
            expr: `{ ...${structDecode.get(attr.fixedHeader)}(v, o, o + n), ...${setDecode.get(attr.nested)}(v, o + ${size}, o + n) }`,
          };
        }
        if (lazy)
          return {
            type: setView.get(attr.nested) ?? 'unknown',
            expr: `new ${setView.get(attr.nested)}(v, o, o + n, this._o)`,
          };
        return {
          type: setType.get(attr.nested) ?? 'unknown',
          expr: `${setDecode.get(attr.nested)}(v, o, o + n)`,
        };
      }
      case 'indexed-array': {
        if (attr.subType === 'nest' && attr.nested !== undefined && sets.has(attr.nested)) {
          if (lazy) {
            const view = setView.get(attr.nested);
            return {
              type: `${view}[]`,
              expr: `${use('indexedSets')}(v, o, n, (x, s, e) => new ${view}(x, s, e, this._o))`,
            };
          }
          return {
            type: `${setType.get(attr.nested)}[]`,
            expr: `${use('indexedSets')}(v, o, n, ${setDecode.get(attr.nested)})`,
          };
        }
        if (attr.subType !== undefined && SIZE[attr.subType] !== undefined) {
          const et = SIZE[attr.subType] === 8 ? 'bigint' : 'number';
          return {
            type: `${et}[]`,
            expr: `${use('indexedScalars')}<${et}>(v, o, n, ${name}, '${attr.subType}', ${little})`,
          };
        }
        return { type: 'Uint8Array[]', expr: `${use('indexedBytes')}(v, o, n)` };
      }
      case 'nest-type-value': {
        const decode =
          attr.nested !== undefined && sets.has(attr.nested)
            ? setDecode.get(attr.nested)
            : 'undefined';
        return {
          type: 'Record<string, unknown>',
          expr: `${use('typeValue')}(v, o, n, ${attr.typeValue?.length ?? 1}, ${decode})`,
        };
      }
      default:
        return { type: 'Uint8Array', expr: `${use('copy')}(v, o, n)` };
    }
  };

  /** The locals an expression over (v, o, n) needs, read from the header at h. */
  const locals = (expr: string, indent: string, withView: boolean): string[] => [
    ...(withView && /\bv\b/.test(bare(expr)) ? [`${indent}const v = this._v;`] : []),
    ...(/\bo\b/.test(bare(expr)) ? [`${indent}const o = h + 4;`] : []),
    ...(/\bn\b/.test(bare(expr))
      ? [
          `${indent}const n = ${withView && /\bv\b/.test(bare(expr)) ? 'v' : 'this._v'}.getUint16(h, true) - 4;`,
        ]
      : []),
  ];
  const params = (expr: string): string =>
    ['v', 'o', 'n', 'h']
      .map((p) => (new RegExp(`\\b${p}\\b`).test(bare(expr)) ? p : `_${p}`))
      .join(', ');

  const setCode = (s: YnlAttributeSet): string[] => {
    const T = setType.get(s.name) ?? '';
    const V = setView.get(s.name) ?? '';
    const D = setDecode.get(s.name) ?? '';
    const iface = [`/** The plain value of attribute set ${s.name}. */`, `export interface ${T} {`];
    const cases: string[] = [];
    const subs: { attr: YnlAttribute; fn: string }[] = [];
    const getters: string[] = [];
    const seen = new Set<number>();
    const names = new Set<string>();
    const keys = new Set<string>();
    let selects = false;
    // Two attributes of one value: the later one names it, as in the codec's type table.
    const winner = new Map(s.attributes.map((a) => [a.value, a]));
    for (const attr of s.attributes) {
      if (winner.get(attr.value) !== attr) {
        const e = attributeValue(attr, false);
        if (e !== undefined && !keys.has(attr.name))
          iface.push(
            `  ${key(attr.name)}?: ${attr.multiAttr ? `Array<${e.type}>` : e.type} | undefined;`,
          );
        keys.add(attr.name);
        continue;
      }
      if (attr.type === 'sub-message') {
        const sm = attr.subMessage === undefined ? undefined : subMessageFn(attr.subMessage);
        const type = sm?.type ?? 'Uint8Array';
        if (!keys.has(attr.name)) iface.push(`  ${key(attr.name)}?: ${type} | undefined;`);
        keys.add(attr.name);
        if (seen.has(attr.value)) continue;
        seen.add(attr.value);
        const i = subs.length;
        subs.push({ attr, fn: sm?.fn ?? '' });
        cases.push(`      case ${attr.value}:`, `        sub${i} = h;`, '        break;');
        const sel = s.attributes.find((a) => a.name === attr.selector);
        const selValue = sel === undefined ? undefined : attributeValue(sel, false);
        if (sm !== undefined && selValue !== undefined) selects = true;
        let getter = camelName(attr.name);
        while (names.has(getter)) getter = `${getter}_`;
        names.add(getter);
        getters.push(
          `  /** ${attr.name} (${attr.value}), its format chosen by ${attr.selector ?? '?'}. */`,
          `  get ${getter}(): ${type} | undefined {`,
          `    const h = ${use('findAttr')}(${FIELDS}, ${attr.value});`,
          '    if (h < 0) return undefined;',
          ...locals('v o n', '    ', true),
          sm === undefined
            ? `    return ${use('copy')}(v, o, n);`
            : sel === undefined || selValue === undefined
              ? `    return ${sm.fn}(v, o, n, undefined);`
              : `    return ${sm.fn}(v, o, n, this._selector(${sel.value}, (${params(selValue.expr)}) => ${selValue.expr}));`,
          '  }',
        );
        continue;
      }
      const eager = attributeValue(attr, false);
      const lazy = attributeValue(attr, true);
      if (eager === undefined || lazy === undefined) continue;
      const keyed = isTypeValued(attr);
      if (!keys.has(attr.name))
        iface.push(
          `  ${key(attr.name)}?: ${keyed ? `Record<string, ${eager.type}>` : attr.multiAttr ? `Array<${eager.type}>` : eager.type} | undefined;`,
        );
      keys.add(attr.name);
      if (seen.has(attr.value)) continue;
      seen.add(attr.value);
      const k = q(attr.name);
      if (keyed) {
        // Keyed by the inner attributes' types (the codec's isTypeValued): every occurrence
        // merged into one record, eagerly and in the getter.
        const read = `(v, o, n, h) => ${eager.expr}`;
        cases.push(
          `      case ${attr.value}:`,
          `        out[${k}] = ${use('typeValued')}(out[${k}] as Record<string, ${eager.type}> | undefined, v, o, n, ${read});`,
          '        break;',
        );
        let getter = camelName(attr.name);
        while (names.has(getter)) getter = `${getter}_`;
        names.add(getter);
        getters.push(
          `  /** ${attr.name} (${attr.value}): every occurrence, keyed by the inner attributes' types. */`,
          `  get ${getter}(): Record<string, ${eager.type}> | undefined {`,
          `    const all = ${use('allAttrs')}(this._o, this._v, this._s, this._e, ${attr.value});`,
          '    if (all.length === 0) return undefined;',
          '    const v = this._v;',
          `    let out: Record<string, ${eager.type}> | undefined;`,
          '    for (const h of all)',
          `      out = ${use('typeValued')}(out, v, h + 4, v.getUint16(h, true) - 4, ${read});`,
          '    return out;',
          '  }',
        );
        continue;
      }
      cases.push(
        `      case ${attr.value}:`,
        attr.multiAttr
          ? `        ${use('append')}(out, ${k}, ${eager.expr});`
          : `        out[${k}] = ${eager.expr};`,
        '        break;',
      );
      let getter = camelName(attr.name);
      while (names.has(getter)) getter = `${getter}_`;
      names.add(getter);
      if (attr.multiAttr) {
        getters.push(
          `  /** ${attr.name} (${attr.value}), every one in order. */`,
          `  get ${getter}(): Array<${lazy.type}> | undefined {`,
          `    const all = ${use('allAttrs')}(this._o, this._v, this._s, this._e, ${attr.value});`,
          '    if (all.length === 0) return undefined;',
          ...(/\bv\b/.test(bare(lazy.expr)) || /\bn\b/.test(bare(lazy.expr))
            ? ['    const v = this._v;']
            : []),
          `    return all.map((${/\b[hon]\b/.test(bare(lazy.expr)) ? 'h' : '_h'}) => {`,
          ...locals(lazy.expr, '      ', false).map((l) => l.replace('this._v', 'v')),
          `      return ${lazy.expr};`,
          '    });',
          '  }',
        );
      } else {
        getters.push(
          `  /** ${attr.name} (${attr.value}). */`,
          `  get ${getter}(): ${lazy.type} | undefined {`,
          `    const h = ${use('findAttr')}(${FIELDS}, ${attr.value});`,
          '    if (h < 0) return undefined;',
          ...locals(lazy.expr, '    ', true),
          `    return ${lazy.expr};`,
          '  }',
        );
      }
    }
    iface.push('}', '');
    if (keys.size === 0)
      iface.splice(1, iface.length - 1, `export type ${T} = Record<string, never>;`, '');
    const body = cases.join('\n');
    const fn = [
      `/** Decodes attribute set ${s.name} in \`[start, end)\` of \`v\` into its plain value. */`,
      `export function ${D}(v: DataView, start: number, end: number): ${T} {`,
      `  ${use('checkRange')}(v, start, end);`,
      '  const out: Record<string, unknown> = {};',
      ...subs.map((_, i) => `  let sub${i} = -1;`),
      '  let at = start;',
      '  while (at < end) {',
      ...(cases.length === 0 ? [] : ['    const h = at;']),
      `    const len = ${use('attrLength')}(v, at, end);`,
      '    at += Math.min((len + 3) & ~3, end - at);',
      ...(cases.length === 0
        ? []
        : [
            ...(/\bo\b/.test(bare(body)) ? ['    const o = h + 4;'] : []),
            ...(/\bn\b/.test(bare(body)) ? ['    const n = len - 4;'] : []),
            '    switch (v.getUint16(h + 2, true) & 0x3fff) {',
            ...cases,
            '    }',
          ]),
      '  }',
      ...subs.flatMap(({ attr, fn }, i) => [
        `  if (sub${i} >= 0)`,
        fn === ''
          ? `    out[${q(attr.name)}] = ${use('copy')}(v, sub${i} + 4, v.getUint16(sub${i}, true) - 4);`
          : `    out[${q(attr.name)}] = ${fn}(v, sub${i} + 4, v.getUint16(sub${i}, true) - 4, out[${q(attr.selector ?? '')}]);`,
      ]),
      `  return out as ${T};`,
      '}',
      '',
    ];
    const cls = [
      `/** A lazy view of attribute set ${s.name} over borrowed bytes. */`,
      `export class ${V} extends ${use('YnlView')}<${T}> {`,
      // Its own constructor: each class's stores see one shape (view.ts, findAttr).
      `  constructor(view: DataView, start: number, end: number, owner: ${viewOwner()} = null) {`,
      '    super();',
      `    this._id = ${use('viewId')}(view, start, end);`,
      '    this._v = view;',
      '    this._s = start;',
      '    this._e = end;',
      '    this._o = owner;',
      '  }',
      '',
      `  /** The plain value (names as in the spec), owning its memory. */`,
      `  override toJSON(): ${T} {`,
      `    ${use('checkOwner')}(this._o);`,
      `    return ${D}(this._v, this._s, this._e);`,
      '  }',
      ...(selects
        ? [
            '',
            '  private _selector(type: number, read: (v: DataView, o: number, n: number, h: number) => unknown): unknown {',
            `    const h = ${use('findAttr')}(${FIELDS}, type);`,
            '    return h < 0 ? undefined : read(this._v, h + 4, this._v.getUint16(h, true) - 4, h);',
            '  }',
          ]
        : []),
      ...(getters.length === 0 ? [] : ['', ...getters]),
      '}',
      '',
    ];
    return [...iface, ...fn, ...cls];
  };

  const body: string[] = [];
  for (const s of family.structs) body.push(...structTs(s), ...structFn(s));
  for (const s of family.attributeSets) body.push(...setCode(s));
  return { code: [...top, '', ...body].join('\n'), helpers };
}
