import { asapScheduler, lastValueFrom, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RTM_GETLINK } from '../../src/families/rtnetlink/constants.js';
import { openNetlinkSocket } from '../../src/io/openNetlinkSocket.js';
import { NLM_F_REQUEST } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { toTxRing } from '../../src/sinks/toTxRing.js';
import { useNetns } from './netns.js';

// The TX ring is a backpressured sink on the ring engine with a real socket: toTxRing pulls
// its source only as frames free up (each flush is one sendmmsg of the VALID frames), so
// what it holds stays at the ring's size however long the source. (The simulated kernel's
// test in test/sinks/toTxRing.test.ts drains only every 4th flush; the kernel never stalls
// a send to itself, so here the ring is the only bound.)

describe('toTxRing on the engine with a real socket', () => {
  const netns = useNetns();

  it('pulls a long source only as frames free up', async () => {
    const ns = netns();
    const frames = 4;
    const socket = openNetlinkSocket({
      protocol: 'route',
      netns: ns.name,
      tx: { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: frames },
    });
    let calls = 0;
    const flush = socket.flush.bind(socket);
    socket.flush = () => {
      calls++;
      return flush();
    };
    const total = 20_000;
    let pulled = 0;
    let receipts = 0;
    let most = 0;
    const heap0 = process.memoryUsage().heapUsed;
    // RTM_GETLINK of lo without NLM_F_ACK: the answers fill the unread RX side and are dropped.
    function* requests() {
      for (let seq = 1; seq <= total; seq++) {
        pulled++;
        most = Math.max(most, pulled - receipts);
        yield new MessageWriter(64)
          .begin(RTM_GETLINK, NLM_F_REQUEST, seq)
          .u8(0)
          .zeros(3)
          .s32(1)
          .zeros(8)
          .end()
          .finish();
      }
    }
    try {
      await lastValueFrom(
        toTxRing(socket, { scheduler: asapScheduler })(requests()).pipe(tap(() => receipts++)),
      );
      expect(receipts).toBe(total);
      expect(calls).toBeGreaterThanOrEqual(total / frames);
      // Pulled and not yet sent: never more than the ring's frames plus the one in hand.
      expect(most).toBeLessThanOrEqual(frames + 1);
      expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(64 << 20);
    } finally {
      socket.close();
    }
  });
});
