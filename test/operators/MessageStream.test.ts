import fc from 'fast-check';
import {
  from,
  identity,
  lastValueFrom,
  map,
  type Observable,
  type OperatorFunction,
  toArray,
} from 'rxjs';
import { describe, expect, it } from 'vitest';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { filterMessages } from '../../src/operators/filterMessages.js';
import { MessageStream } from '../../src/operators/MessageStream.js';
import { ofGroup } from '../../src/operators/ofGroup.js';
import { ofType } from '../../src/operators/ofType.js';
import { parseMessages } from '../../src/operators/parseMessages.js';
import { takeDump } from '../../src/operators/takeDump.js';
import { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';

type Step =
  | { kind: 'type'; types: number[] }
  | { kind: 'group'; groups: number[] }
  | { kind: 'odd-seq' };

function frameOf(messages: Array<{ type: number; seq: number }>, group: number): Frame {
  const w = new MessageWriter();
  for (const m of messages) w.begin(m.type, 0, m.seq).u32(m.seq).end();
  return Frame.of(w.finish(), { group });
}

function operator(
  step: Step,
): OperatorFunction<Frame | NetlinkMessage | Overrun, Frame | NetlinkMessage | Overrun> {
  switch (step.kind) {
    case 'type':
      return ofType(...step.types);
    case 'group':
      return ofGroup(...step.groups);
    default:
      return filterMessages((m) => m.seq % 2 === 1);
  }
}

async function run(
  input: Array<Frame | Overrun>,
  steps: Step[],
  fused: boolean,
): Promise<string[]> {
  let out: Observable<Frame | NetlinkMessage | Overrun> = from(input).pipe(parseMessages());
  for (const op of steps.map(operator)) {
    // map(identity) is a stage of its own: the filter after it cannot fuse.
    const source = fused ? out : out.pipe(map(identity));
    expect(source instanceof MessageStream).toBe(fused);
    out = op(source);
  }
  const values = await lastValueFrom(out.pipe(toArray()));
  return values.map((v) =>
    v instanceof NetlinkMessage
      ? `m${v.type}/${v.seq}/g${v.group}`
      : v instanceof Overrun
        ? 'overrun'
        : 'frame',
  );
}

describe('MessageStream (fused message filters)', () => {
  it('fuses ofType, ofGroup and filterMessages that follow parseMessages', () => {
    const parsed = from([frameOf([{ type: 16, seq: 1 }], 0)]).pipe(parseMessages());
    expect(parsed).toBeInstanceOf(MessageStream);
    expect(
      parsed.pipe(
        ofType(16),
        ofGroup(0),
        filterMessages(() => true),
      ),
    ).toBeInstanceOf(MessageStream);
  });

  it('gives exactly what the unfused chain gives (property)', async () => {
    const message = fc.record({
      type: fc.integer({ min: 16, max: 20 }),
      seq: fc.integer({ min: 0, max: 50 }),
    });
    const item = fc.oneof(
      {
        weight: 5,
        arbitrary: fc.record({
          messages: fc.array(message, { maxLength: 6 }),
          group: fc.integer({ min: 0, max: 3 }),
        }),
      },
      { weight: 1, arbitrary: fc.constant('overrun' as const) },
    );
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('type' as const),
        types: fc.array(fc.integer({ min: 16, max: 20 }), { minLength: 1, maxLength: 3 }),
      }),
      fc.record({
        kind: fc.constant('group' as const),
        groups: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 2 }),
      }),
      fc.constant({ kind: 'odd-seq' as const }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { maxLength: 8 }),
        fc.array(step, { maxLength: 4 }),
        async (items, steps) => {
          const input = () =>
            items.map((i) => (i === 'overrun' ? new Overrun(1, 1) : frameOf(i.messages, i.group)));
          const fused = await run(input(), steps, true);
          const unfused = await run(input(), steps, false);
          expect(fused).toEqual(unfused);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('decodes in place (decodedAt) exactly what decoded() gives, with and without predicates (property)', async () => {
    const message = fc.record({
      type: fc.integer({ min: 16, max: 20 }),
      seq: fc.integer({ min: 0, max: 50 }),
    });
    const frames = fc.array(fc.array(message, { maxLength: 6 }), { maxLength: 6 });
    // Skips even sequence numbers (undefined), so that skipping is compared too.
    const fromHandle = (m: NetlinkMessage, tag: string) =>
      m.seq % 2 === 0 ? undefined : `${tag}${m.type}/${m.seq}/${m.length}`;
    const inPlace = (
      _bytes: Uint8Array,
      view: DataView,
      offset: number,
      length: number,
      tag: string,
    ) => {
      const seq = view.getUint32(offset + 8, true);
      return seq % 2 === 0
        ? undefined
        : `${tag}${view.getUint16(offset + 4, true)}/${seq}/${length}`;
    };
    await fc.assert(
      fc.asyncProperty(frames, fc.boolean(), async (list, narrowed) => {
        const stream = () => {
          const s = new MessageStream(from(list.map((messages) => frameOf(messages, 0))));
          return narrowed ? s.narrow({ predicates: [(m) => m.type !== 17] }) : s;
        };
        const a = await lastValueFrom(stream().decoded(fromHandle, 'm').pipe(toArray()));
        const b = await lastValueFrom(stream().decodedAt(inPlace, 'm').pipe(toArray()));
        expect(b).toEqual(a);
      }),
      { numRuns: 200 },
    );
  });

  it('still validates frames whose messages are all filtered out', async () => {
    const bad = Frame.of(new Uint8Array([20, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    const error = await lastValueFrom(from([bad]).pipe(parseMessages(), ofType(99))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'DecodeError' });
  });
});

describe('MessageStream (takeDump fused)', () => {
  type Reply =
    | { kind: 'data'; type: number; seq: number; intr: boolean }
    | { kind: 'done'; seq: number; errno: number; intr: boolean }
    | { kind: 'error'; seq: number; errno: number }
    | { kind: 'noop'; seq: number };

  function datagram(replies: Reply[]): Frame {
    const w = new MessageWriter();
    for (const r of replies) {
      switch (r.kind) {
        case 'data':
          w.begin(r.type, 2 | (r.intr ? 0x10 : 0), r.seq)
            .u32(r.seq)
            .end();
          break;
        case 'done':
          w.begin(3, 2 | (r.intr ? 0x10 : 0), r.seq)
            .s32(-r.errno)
            .end();
          break;
        case 'error':
          // struct nlmsgerr: -errno, then the request's header.
          w.begin(2, 0x100, r.seq).s32(-r.errno).u32(16).u16(0x12).u16(1).u32(r.seq).u32(0).end();
          break;
        default:
          w.begin(1, 0, r.seq).end();
      }
    }
    return Frame.of(w.finish());
  }

  async function outcome(source: Observable<Frame | NetlinkMessage | Overrun>): Promise<string[]> {
    const out: string[] = [];
    try {
      await lastValueFrom(source.pipe(toArray())).then((values) => {
        for (const v of values)
          out.push(v instanceof NetlinkMessage ? `m${v.type}/${v.seq}` : 'other');
      });
      out.push('complete');
    } catch (e) {
      out.push(`error ${(e as { name?: string }).name}:${(e as { code?: string }).code}`);
    }
    return out;
  }

  it('gives exactly what takeDump after a separate stage gives (property)', async () => {
    const seq = fc.integer({ min: 1, max: 3 });
    const reply: fc.Arbitrary<Reply> = fc.oneof(
      {
        weight: 6,
        arbitrary: fc.record({
          kind: fc.constant('data' as const),
          type: fc.integer({ min: 16, max: 18 }),
          seq,
          intr: fc.boolean(),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('done' as const),
          seq,
          errno: fc.constantFrom(0, 0, 0, 22),
          intr: fc.boolean(),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('error' as const),
          seq,
          errno: fc.constantFrom(0, 95),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('noop' as const), seq }) },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(reply, { maxLength: 5 }), { maxLength: 6 }),
        fc.option(seq, { nil: undefined }),
        fc.option(fc.integer({ min: 16, max: 18 }), { nil: undefined }),
        async (frames, dumpSeq, keepType) => {
          const input = () => from(frames.map(datagram));
          const tail = (s: Observable<Frame | NetlinkMessage | Overrun>) =>
            keepType === undefined ? s : s.pipe(ofType(keepType));
          const fusedStream = input().pipe(parseMessages(), takeDump({ seq: dumpSeq }));
          expect(fusedStream).toBeInstanceOf(MessageStream);
          const separate = input().pipe(parseMessages(), map(identity), takeDump({ seq: dumpSeq }));
          expect(await outcome(tail(fusedStream))).toEqual(await outcome(tail(separate)));
          // A decoder in place on the fused dump (what a decoded dump runs): the messages
          // the stream emits, decoded, with the same errors and completion.
          const stream = tail(fusedStream) as MessageStream<Frame>;
          const inPlace = stream.decodedAt(
            (_bytes, view, offset) =>
              new NetlinkMessage({ bytes: _bytes, view, group: 0, owner: null }, offset),
            null,
          );
          expect(await outcome(inPlace)).toEqual(await outcome(tail(separate)));
        },
      ),
      { numRuns: 300 },
    );
  });
});
