// Extracts the TSDoc @example blocks of src/ and writes each as a module of its own, with the
// names it may use in scope: the exports and imports of the file it documents, its family's namespace
// (rtnetlink, netfilter), the other modules of its folder, the public entries, then rxjs's; and the givens below,
// the conventional names of what an example works on. Any other free name is the example's
// own to declare (`declare const packet: QueuedPacket;`), so what it shows is all it assumes.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One @example of one source file. */
export interface TsdocExample {
  /** The source file, relative to the repository. */
  file: string;
  /** The 1-based line of the example's first code line. */
  line: number;
  /** The example's code, comment stars removed. */
  code: string;
}

/** Every .ts file under `dir`, recursively, sorted. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

/**
 * The @example blocks of one file's doc comments: from the line after `@example` to the next
 * tag or the comment's end, with the leading ` * ` of each line removed and a ``` fence, if
 * the example has one, dropped.
 */
export function extractExamples(file: string, text: string): TsdocExample[] {
  const examples: TsdocExample[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\b/.test(lines[i])) continue;
    const start = i + 1;
    const code: string[] = [];
    let j = start;
    for (; j < lines.length; j++) {
      const line = lines[j];
      if (/^\s*\*\//.test(line) || /^\s*\*\s*@\w+/.test(line)) break;
      const body = line.replace(/^\s*\* ?/, '');
      code.push(body.replace(/\*\/\s*$/, ''));
      if (/\*\/\s*$/.test(line)) break;
    }
    const kept = code.filter((l) => !/^\s*```/.test(l));
    // An example of a private helper (the comment is followed by a top-level declaration
    // without `export`) cannot be compiled from outside its module: it is not extracted.
    let after = j + 1;
    while (after < lines.length && lines[after].trim() === '') after++;
    const next = lines[after] ?? '';
    const exported = !/^(?:async\s+)?(?:function|const|let|var|class|interface|type|enum)\b/.test(
      next,
    );
    if (exported) examples.push({ file, line: start + 1, code: kept.join('\n') });
    i = j - 1;
  }
  return examples;
}

const DECLARATION =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:abstract\s+)?(?:async\s+)?(?:function\*?|class|const|let|var|interface|type|enum|namespace)\s+([A-Za-z_$][\w$]*)/gm;
const FROM = /^export\s+(type\s+)?(\*(?:\s+as\s+([\w$]+))?|\{([^}]*)\})\s*from\s*'([^']+)'/gm;

/**
 * The names a module exports, found by reading its export statements (declarations,
 * `export { … } from`, `export * from` followed into the module it names, `export * as`).
 * Type-only and value names alike: an example may use either.
 */
export function exportedNames(path: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(path)) return names;
  seen.add(path);
  const text = readFileSync(path, 'utf8');
  for (const m of text.matchAll(DECLARATION)) names.add(m[1]);
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s*;/gm)) {
    for (const name of listNames(m[1])) names.add(name);
  }
  for (const m of text.matchAll(FROM)) {
    const [, , star, namespace, list, specifier] = m;
    if (namespace !== undefined) names.add(namespace);
    else if (list !== undefined) for (const name of listNames(list)) names.add(name);
    else if (star !== undefined && specifier.startsWith('.')) {
      const target = resolve(dirname(path), specifier.replace(/\.js$/, '.ts'));
      for (const name of exportedNames(target, seen)) names.add(name);
    }
  }
  return names;
}

/**
 * The names a module imports from modules of ours, by the module they come from: its
 * examples may use what the module itself uses.
 */
export function importedNames(path: string): Array<{ path: string; names: string[] }> {
  const text = readFileSync(path, 'utf8');
  const out: Array<{ path: string; names: string[] }> = [];
  for (const m of text.matchAll(/^import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'(\.[^']+)'/gm)) {
    const target = resolve(dirname(path), m[2].replace(/\.js$/, '.ts'));
    const names = m[1]
      .split(',')
      .map((part) => part.trim().replace(/^type\s+/, ''))
      .filter((part) => part !== '');
    out.push({ path: target, names });
  }
  return out;
}

/** `a, type B, c as d` → a, B, d. */
function listNames(list: string): string[] {
  return list
    .split(',')
    .map((part) => part.trim().replace(/^type\s+/, ''))
    .filter((part) => part !== '')
    .map((part) => part.split(/\s+as\s+/).pop() ?? part);
}

/** The names an example's code declares at its top (const, let, function, class, declare). */
export function declaredNames(code: string): string[] {
  const names: string[] = [];
  const simple =
    /^(?:declare\s+)?(?:export\s+)?(?:const|let|var|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm;
  for (const m of code.matchAll(simple)) names.push(m[1]);
  for (const m of code.matchAll(/^(?:const|let|var)\s+[{[]([^=]*)[}\]]\s*=/gm)) {
    for (const part of m[1].split(',')) {
      const name = part.split(':').pop()?.trim().replace(/=.*$/, '').trim();
      if (name !== undefined && /^[A-Za-z_$][\w$]*$/.test(name)) names.push(name);
    }
  }
  return names;
}

/** A module specifier from `fromDir` to the source file `path` (as `.js`, nodenext). */
export function specifierTo(fromDir: string, path: string): string {
  const r = relative(fromDir, path).replace(/\.ts$/, '.js').split('\\').join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

/**
 * The module text for one example written into `dir`: imports of `scopes` (each a module
 * specifier and the names to take from it, the first that has a name wins), then the code.
 */
export function exampleModule(
  example: TsdocExample,
  scopes: ReadonlyArray<{ specifier: string; names: Iterable<string> }>,
): string {
  // What the example declares itself is its own: not imported over it.
  const taken = new Set<string>(declaredNames(example.code));
  const imports: string[] = [];
  // A name may be `exported as local` (an import's rename): `local` is what the example sees.
  const local = (n: string) => n.split(/\s+as\s+/).pop() ?? n;
  for (const { specifier, names } of scopes) {
    const mine = [...names].filter((n) => !taken.has(local(n)));
    for (const n of mine) taken.add(local(n));
    if (mine.length > 0) imports.push(`import { ${mine.join(', ')} } from '${specifier}';`);
  }
  return `${imports.join('\n')}\n// ${example.file}:${example.line}\n${example.code}\nexport {};\n`;
}

/**
 * The givens: names an example may use without declaring them, each always of one type (an
 * example's own declaration of the name wins). `[name, module under src/, export]`, or a
 * plain type for the module `''`.
 */
export const GIVENS: ReadonlyArray<readonly [string, string, string]> = [
  ['message', 'netlink/NetlinkMessage.ts', 'NetlinkMessage'],
  ['msg', 'netlink/NetlinkMessage.ts', 'NetlinkMessage'],
  ['frame', 'ring/Frame.ts', 'Frame'],
  ['socket', 'io/NetlinkSocket.ts', 'NetlinkSocket'],
  ['w', 'netlink/MessageWriter.ts', 'MessageWriter'],
  ['libc', 'io/libc.ts', 'Libc'],
  ['open', 'ring/RingEndpoint.ts', '() => RingEndpoint'],
  ['view', '', 'DataView'],
  ['ifname', '', 'ReadonlyMap<number, string>'],
  ['fd', '', 'number'],
  ['offset', '', 'number'],
  ['at', '', 'number'],
  ['end', '', 'number'],
  ['length', '', 'number'],
  ['len', '', 'number'],
];

/** The givens as a global declaration file written into `dir` (`src` is the source root). */
export function givensFile(dir: string, src: string): string {
  const lines = GIVENS.map(([name, module, type]) => {
    if (module === '') return `declare const ${name}: ${type};`;
    const from = specifierTo(dir, join(src, module));
    const qualified = type.includes('=>')
      ? type.replace(/\b([A-Z]\w*)\b/g, `import('${from}').$1`)
      : `import('${from}').${type}`;
    return `declare const ${name}: ${qualified};`;
  });
  return `${lines.join('\n')}\n`;
}
