import { readFileSync } from 'node:fs';
import { lastValueFrom, toArray } from 'rxjs';
import { catalog } from '../families/ynl/catalog.js';
import type { YnlValue } from '../families/ynl/codec.js';
import type { YnlFamily } from '../families/ynl/spec.js';
import { ynl } from './ynl.js';

/** Where {@link ynlCommand} writes: lines of text. */
export interface YnlCommandOutput {
  write(text: string): void;
}

const USAGE =
  'usage: nlring ynl --family NAME (--dump OP | --do OP) [--json-args JSON] [--spec FILE] [--netns NAME] [--json]\n' +
  '       nlring ynl --list [--json]';

function show(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) =>
      typeof v === 'bigint'
        ? v.toString()
        : v instanceof Uint8Array
          ? [...v].map((b) => b.toString(16).padStart(2, '0')).join('')
          : v,
    2,
  );
}

/**
 * The `nlring ynl` command, mirroring the kernel's tools/net/ynl CLI: `--list` prints the
 * families this package carries with their operations; `--family NAME --do OP` or `--dump
 * OP` runs an operation with `--json-args` as its attributes, the spec taken from the
 * generated module or from `--spec FILE` (a spec parsed as JSON, or YAML when the `yaml`
 * package is installed). Resolves to the exit code; errors are written as one line.
 *
 * @example
 * await ynlCommand(['--family', 'netdev', '--dump', 'dev-get', '--json'], { write: (t) => process.stdout.write(t) });
 */
export async function ynlCommand(argv: readonly string[], out: YnlCommandOutput): Promise<number> {
  const flag = (name: string) => argv.includes(name);
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i === -1 ? undefined : argv[i + 1];
  };
  const json = flag('--json');
  if (flag('--list')) {
    if (json) out.write(`${show(catalog)}\n`);
    else {
      for (const f of catalog) {
        const ops = f.operations.map((o) => `${o.name}${o.dump ? '*' : ''}`).join(' ');
        out.write(`${f.name} (${f.protocol}): ${ops}\n`);
      }
    }
    return 0;
  }
  const familyName = value('--family');
  const op = value('--do') ?? value('--dump');
  if (familyName === undefined || op === undefined) {
    out.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const spec = await loadSpec(familyName, value('--spec'));
    const args = JSON.parse(value('--json-args') ?? '{}') as YnlValue;
    const netns = value('--netns');
    const sources = ynl(spec);
    const options = netns === undefined ? {} : { netns };
    const source =
      value('--do') !== undefined ? sources.do(op, args, options) : sources.dump(op, args, options);
    const values = await lastValueFrom(source.pipe(toArray()));
    if (json) out.write(`${show(values)}\n`);
    else for (const v of values) out.write(`${show(v)}\n`);
    return 0;
  } catch (error) {
    out.write(`nlring ynl: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function loadSpec(family: string, file: string | undefined): Promise<YnlFamily | unknown> {
  if (file !== undefined) {
    const text = readFileSync(file, 'utf8');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      const yaml = (await import('yaml').catch(() => undefined)) as
        | { parse(t: string): unknown }
        | undefined;
      if (yaml === undefined)
        throw new Error(`${file}: not JSON, and the yaml package is not installed`);
      return yaml.parse(text);
    }
  }
  const entry = catalog.find((f) => f.name === family);
  if (entry === undefined)
    throw new Error(`no family ${family} in this package (see --list), give --spec FILE`);
  const module = (await import(`../families/ynl/${entry.module}`)) as { spec: YnlFamily };
  return module.spec;
}
