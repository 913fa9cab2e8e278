import { PassThrough, Writable } from 'node:stream';
import fc from 'fast-check';
import { of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { dumpJson, JsonArray, writeChunks } from '../../src/cli/jsonText.js';

/** The text of an array built of `elements` (each through `element`). */
function text(elements: readonly unknown[]): string {
  const out = new JsonArray();
  out.begin();
  for (const element of elements) out.element(element);
  return Buffer.concat(out.end()).toString('utf8');
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

describe('JsonArray', () => {
  it.each([
    { name: 'printable ASCII', value: 'eth0 10.0.0.0/8 fd00::1 ~!@#$%^&*()' },
    { name: 'a quote and a backslash', value: 'a"b\\c' },
    { name: 'control characters', value: '\b\f\n\r\t\u0000\u0001\u001f\u007f' },
    { name: 'non-ASCII text, as UTF-8', value: 'dü€😀' },
    { name: 'lone surrogates, escaped', value: 'a\ud800b\udfffc' },
    { name: 'the empty string', value: '' },
    { name: 'integers', value: [0, 1, 9, 10, 99, 4294967295, 4294967296, -1, -0, 2 ** 53] },
    {
      name: 'other numbers',
      value: [1.5, -2.25, 1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY],
    },
    { name: 'booleans and null', value: [true, false, null] },
    { name: 'undefined, functions and symbols in an array', value: [undefined, () => 1, Symbol()] },
    {
      name: 'undefined, functions and symbols in an object, left out',
      value: { a: undefined, b: 1, c: () => 1, d: Symbol(), e: 2, f: undefined },
    },
    { name: 'an object of left-out values only', value: { a: undefined } },
    {
      name: 'nested objects and arrays',
      value: { a: [{ b: [] }, {}, [[]]], c: { d: { e: 'f' } } },
    },
    { name: 'a frozen array', value: Object.freeze(['onlink', 'linkdown']) },
    { name: 'integer-like keys, in JSON.stringify order', value: { b: 1, 2: 'x', a: 2, 1: 'y' } },
    { name: 'keys that need escaping', value: { 'a"b': 1, 'c\nd': 2, ü: 3 } },
    { name: 'an object with toJSON', value: { a: { toJSON: () => 'at' }, b: 1 } },
    { name: 'toJSON that leaves the value out', value: { a: { toJSON: () => undefined }, b: 1 } },
    { name: 'a class instance and a Date', value: [new Point(1, 2), new Date(0)] },
    { name: 'an object without a prototype', value: Object.assign(Object.create(null), { a: 1 }) },
  ])('writes $name as JSON.stringify does', ({ value }) => {
    expect(text([value, value])).toBe(`${JSON.stringify([value, value])}\n`);
  });

  it('writes an empty array as []', () => {
    expect(text([])).toBe('[]\n');
  });

  it('throws what JSON.stringify throws for a BigInt', () => {
    expect(() => text([{ a: 1n }])).toThrow(TypeError);
    expect(() => text([1n])).toThrow(TypeError);
  });

  it('crosses chunk boundaries: long strings and many elements, every byte in order', () => {
    const long = 'x'.repeat(3 << 20);
    const many = Array.from({ length: 50_000 }, (_, i) => ({ i, name: `ü${i}"`, long: i === 7 }));
    const values = [long, ...many, `${long}é`];
    const out = new JsonArray();
    out.begin();
    for (const value of values) out.element(value);
    const chunks = out.end();
    expect(chunks.length).toBeGreaterThan(3);
    expect(Buffer.concat(chunks).toString('utf8')).toBe(`${JSON.stringify(values)}\n`);
  });

  it('object: leaves `skip` out of the top level only', () => {
    const out = new JsonArray();
    out.begin();
    out.object({ type: 'unicast', attrs: { x: 1 }, inner: { attrs: 2 } }, 'attrs');
    expect(Buffer.concat(out.end()).toString()).toBe('[{"type":"unicast","inner":{"attrs":2}}]\n');
  });

  it('object: `last` after the other fields, then `follow`, each out of its place', () => {
    const out = new JsonArray();
    out.begin();
    const route = { a: 1, nexthops: [1], b: 2, nh_info: 'old', c: undefined };
    out.object(route, 'attrs', { key: 'nh_info', value: { id: 3 }, follow: 'nexthops' });
    out.object({ a: 1 }, 'attrs', { key: 'nh_info', value: { id: 4 }, follow: 'nexthops' });
    expect(Buffer.concat(out.end()).toString()).toBe(
      '[{"a":1,"b":2,"nh_info":{"id":3},"nexthops":[1]},{"a":1,"nh_info":{"id":4}}]\n',
    );
  });

  it('begin() drops what an earlier attempt wrote', () => {
    const out = new JsonArray();
    out.begin();
    out.element('half a dump');
    out.begin();
    out.element(1);
    expect(out.length).toBe(1);
    expect(Buffer.concat(out.end()).toString()).toBe('[1]\n');
  });
});

describe('dumpJson', () => {
  it("is JSON.stringify of each object's value, in the dump's order", async () => {
    type Plain = { a: number; attrs?: string; b?: string[] };
    const objects: Plain[] = [{ a: 1, attrs: 'raw' }, { a: 2, b: ['x'] }, { a: 3 }];
    const each = ({ attrs: _, ...rest }: Plain) => rest;
    const element = await dumpJson<Plain>(
      () => of(...objects),
      (out, o) => out.element(each(o)),
    );
    const object = await dumpJson<Plain>(
      () => of(...objects),
      (out, o) => out.object(o, 'attrs'),
    );
    for (const chunks of [element, object]) {
      expect(Buffer.concat(chunks).toString()).toBe(`${JSON.stringify(objects.map(each))}\n`);
    }
    const none = await dumpJson(
      () => of(),
      (out, o) => out.element(o),
    );
    expect(Buffer.concat(none).toString()).toBe('[]\n');
  });
});

describe('writeChunks', () => {
  it('writes every chunk in order, waiting for drain when the stream asks', async () => {
    const stream = new PassThrough({ highWaterMark: 4 });
    const chunks = Array.from({ length: 20 }, (_, i) => Buffer.from(`chunk ${i};`));
    let read = '';
    let drains = 0;
    stream.on('drain', () => drains++);
    const reading = (async () => {
      for await (const data of stream) {
        read += String(data);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();
    await writeChunks(stream, chunks);
    stream.end();
    await reading;
    expect(read).toBe(chunks.join(''));
    expect(drains).toBeGreaterThan(0);
  });

  it('resolves at once for no chunks', async () => {
    await expect(writeChunks(new PassThrough(), [])).resolves.toBeUndefined();
  });

  it("rejects with the stream's error (a reader that went away)", async () => {
    const broken = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    let writes = 0;
    const stream = new Writable({
      highWaterMark: 1,
      write(_chunk, _encoding, callback) {
        writes++;
        callback(writes === 2 ? broken : null);
      },
    });
    stream.on('error', () => {});
    const chunks = Array.from({ length: 5 }, () => Buffer.from('data'));
    await expect(writeChunks(stream, chunks)).rejects.toBe(broken);
    expect(writes).toBe(2);
  });
});

describe('JsonArray with convert', () => {
  it('writes what JSON.stringify writes with a replacer that changes bigints and typed arrays', () => {
    const replace = (value: bigint | ArrayBufferView): unknown =>
      typeof value === 'bigint'
        ? String(value)
        : value instanceof Uint8Array
          ? Array.from(value)
          : value;
    const leaf = fc.oneof(
      fc.bigInt(),
      fc.uint8Array({ maxLength: 4 }),
      fc.uint8Array({ maxLength: 4 }).map((bytes) => Buffer.from(bytes)),
      fc.constant(new Date(0)),
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
    );
    const data = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 3 }),
      object: fc.dictionary(fc.string({ maxLength: 3 }), tie('value'), { maxKeys: 3 }),
    })).value;
    fc.assert(
      fc.property(fc.array(data, { maxLength: 4 }), (values) => {
        const out = new JsonArray({ convert: replace });
        out.begin();
        for (const value of values) out.element(value);
        const expected = JSON.stringify(values, (_key, value: unknown) =>
          typeof value === 'bigint' || ArrayBuffer.isView(value) ? replace(value) : value,
        );
        expect(Buffer.concat(out.end()).toString('utf8')).toBe(`${expected}\n`);
      }),
    );
  });

  it('writes every 32-bit integer as JSON.stringify does', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.nat({ max: 0xffffffff }),
          fc.constantFrom(9, 10, 99, 100, 999999999, 1e9, 0xffffffff),
        ),
        (n) => {
          const out = new JsonArray();
          out.begin();
          out.element(n);
          expect(Buffer.concat(out.end()).toString()).toBe(`[${n}]\n`);
        },
      ),
    );
  });
});
