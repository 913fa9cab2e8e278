// Trust but check: every constant the YNL specs define (enum entries, attribute types,
// commands, family and group names) that the installed uapi headers also define must have
// the same value. The headers are read by the C compiler itself: `gcc -E -dM` lists the
// macros, and a small program compiled from the spec's names prints the values of those the
// header knows (enumerators are not macros, so only a compiled program sees them).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSpecs } from '../../../scripts/ynl/loadSpecs.js';
import type { YnlFamily } from '../../../src/families/ynl/spec.js';

const INCLUDE = '/usr/include';

/** What a spec says, by C name: a number, or a string for name macros. */
function specConstants(family: YnlFamily): Map<string, number | string> {
  const out = new Map<string, number | string>();
  for (const e of family.enums) for (const entry of e.entries) out.set(entry.cName, entry.value);
  for (const set of family.attributeSets) {
    if (set.subsetOf !== undefined) continue;
    for (const a of set.attributes) out.set(a.cName, a.value);
  }
  if (family.protocol !== 'netlink-raw') {
    for (const op of family.operations) {
      out.set(op.cName, op.value);
      // Directional: the kernel's answer to `X` is `X_REPLY` in the reply enum.
      const reply = op.do?.reply ?? op.dump?.reply;
      if (family.model === 'directional' && reply !== undefined)
        out.set(`${op.cName}_REPLY`, reply.value);
    }
  }
  if (family.protocol !== 'netlink-raw') {
    out.set(family.cFamilyName, family.name);
    for (const g of family.mcastGroups) out.set(g.cName, g.name);
  }
  return out;
}

/**
 * Headers that older uapi trees ship under another name: ethtool's generated header split
 * out of ethtool_netlink.h (6.14), which still includes it.
 */
const OLDER_NAMES: Record<string, string> = {
  'linux/ethtool_netlink_generated.h': 'linux/ethtool_netlink.h',
};

function headersOf(family: YnlFamily): string[] {
  const uapi = existsSync(join(INCLUDE, family.uapiHeader))
    ? family.uapiHeader
    : (OLDER_NAMES[family.uapiHeader] ?? family.uapiHeader);
  const all = [uapi, ...family.enums.flatMap((e) => (e.header ? [e.header] : []))];
  return [...new Set(all)].filter((h) => existsSync(join(INCLUDE, h)));
}

/** Values the compiler sees for the names of `wanted` that the headers define. */
function headerValues(
  headers: readonly string[],
  wanted: ReadonlyMap<string, number | string>,
): Map<string, number | string> {
  const dir = mkdtempSync(join(tmpdir(), 'nlring-ynl-'));
  try {
    const includes = headers.map((h) => `#include <${h}>`).join('\n');
    const src = join(dir, 'h.c');
    writeFileSync(src, `#include <sys/socket.h>\n${includes}\n`);
    const preprocessed = execFileSync('gcc', ['-E', src], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const macros = execFileSync('gcc', ['-E', '-dM', src], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    const macroText = new Map<string, string>();
    for (const line of macros.split('\n')) {
      const m = /^#define (\w+) (.*)$/.exec(line);
      if (m?.[1] !== undefined) macroText.set(m[1], (m[2] ?? '').trim());
    }
    const tokens = new Set(preprocessed.match(/\b[A-Z][A-Z0-9_]*\b/g) ?? []);
    const out = new Map<string, number | string>();
    const numeric: string[] = [];
    for (const [name, value] of wanted) {
      if (typeof value === 'string') {
        const text = macroText.get(name);
        if (text !== undefined && /^"/.test(text)) out.set(name, JSON.parse(text) as string);
      } else if (tokens.has(name) || macroText.has(name)) {
        numeric.push(name);
      }
    }
    if (numeric.length > 0) {
      const lines = numeric.map((n) => `  printf("%s %lld\\n", "${n}", (long long)(${n}));`);
      writeFileSync(
        src,
        `#include <stdio.h>\n#include <sys/socket.h>\n${includes}\nint main(void) {\n${lines.join('\n')}\n  return 0;\n}\n`,
      );
      execFileSync('gcc', ['-o', join(dir, 'h'), src], { encoding: 'utf8' });
      for (const line of execFileSync(join(dir, 'h'), { encoding: 'utf8' }).trim().split('\n')) {
        const [name, value] = line.split(' ');
        if (name !== undefined) out.set(name, Number(value));
      }
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const specs = loadSpecs();
const withHeader = specs.filter((s) => headersOf(s.family).length > 0);
const withoutHeader = specs.filter((s) => headersOf(s.family).length === 0);

describe('YNL specs against the installed uapi headers', () => {
  it.each(withHeader.map((s) => ({ name: s.file, spec: s })))(
    '$name: every constant the header defines has the spec value',
    ({ spec }) => {
      const wanted = specConstants(spec.family);
      const found = headerValues(headersOf(spec.family), wanted);
      const mismatches = [...found]
        .filter(([name, value]) => wanted.get(name) !== value)
        .map(
          ([name, value]) => `${name}: spec ${String(wanted.get(name))}, header ${String(value)}`,
        );
      expect(mismatches).toEqual([]);
      // The check must compare something: a naming slip would make it vacuous.
      expect(found.size).toBeGreaterThan(0);
    },
  );

  it('lists the specs whose header this system lacks', () => {
    if (withoutHeader.length > 0) {
      console.log(
        `no uapi header installed for: ${withoutHeader.map((s) => `${s.file} (${s.family.uapiHeader})`).join(', ')}`,
      );
    }
    expect(withHeader.length + withoutHeader.length).toBe(specs.length);
  });
});
