// The route dump (issue 3): 100,000 routes in a namespace, dumped through nlring's ring engine
// and Observable (messages/s) and decoded into objects (routes/s), beside a plain koffi recv()
// loop over the same namespace, in the same run.
import koffi from 'koffi';
import { map } from 'rxjs';
import { AF_INET, RTM_NEWROUTE } from '../src/families/rtnetlink/constants.js';
import { decodeRoute } from '../src/families/rtnetlink/decodeRoute.js';
import { routeDumpRequest } from '../src/families/rtnetlink/routeDumpRequest.js';
import { inNetns } from '../src/io/inNetns.js';
import { libc } from '../src/io/libc.js';
import { openNetlinkSocket } from '../src/io/openNetlinkSocket.js';
import { NLMSG_DONE } from '../src/netlink/constants.js';
import { ofType } from '../src/operators/ofType.js';
import { dumpMessages } from '../src/sources/dumpMessages.js';
import { median, timed, timedAsync } from './measure.js';
import { createBenchNetns } from './netns.js';
const ROUTES = 100_000;
/** The baseline: a blocking koffi recv() loop on a 32 KiB buffer, walking headers lightly. */
function koffiLoop(netns, request) {
    const c = koffi.load('libc.so.6');
    const socket = c.func('int socket(int, int, int)');
    const sendto = c.func('long sendto(int, void *, unsigned long, int, void *, unsigned int)');
    const recv = c.func('long recv(int, _Out_ void *, unsigned long, int)');
    const close = c.func('int close(int)');
    const fd = inNetns(libc(), netns, () => socket(16, 3 | 0o2000000, 0));
    try {
        const kernel = new Uint8Array(12);
        kernel[0] = 16; // AF_NETLINK, pid 0, groups 0
        if (sendto(fd, request, request.byteLength, 0, kernel, 12) < 0)
            throw new Error('sendto failed');
        const buffer = new Uint8Array(32768);
        const view = new DataView(buffer.buffer);
        let routes = 0;
        for (;;) {
            const n = Number(recv(fd, buffer, buffer.byteLength, 0));
            if (n < 0)
                throw new Error(`recv failed: errno ${koffi.errno()}`);
            let offset = 0;
            while (offset + 16 <= n) {
                const len = view.getUint32(offset, true);
                const type = view.getUint16(offset + 4, true);
                if (type === NLMSG_DONE)
                    return routes;
                if (type === RTM_NEWROUTE)
                    routes++;
                offset += (len + 3) & ~3;
            }
        }
    }
    finally {
        close(fd);
    }
}
function open(netns) {
    return () => openNetlinkSocket({ protocol: 'route', netns });
}
/** nlring's message stream: the ring engine, fromRing, parseMessages + ofType. */
function nlringMessages(netns) {
    return count(dumpMessages(open(netns), routeDumpRequest({ family: AF_INET, seq: 1 })).pipe(ofType(RTM_NEWROUTE)));
}
/** Counts what a stream emits, as a user's subscriber would. */
function count(source, each) {
    return new Promise((resolve, reject) => {
        let n = 0;
        source.subscribe({
            next: (value) => {
                n++;
                each?.(value);
            },
            error: reject,
            complete: () => resolve(n),
        });
    });
}
/** The same, decoded into plain route objects. */
async function nlringRoutes(netns, ifname) {
    let last = '';
    const n = await count(dumpMessages(open(netns), routeDumpRequest({ family: AF_INET, seq: 2 })).pipe(ofType(RTM_NEWROUTE), map((m) => decodeRoute(m, { ifname }))), (route) => {
        last = route.dst;
    });
    if (last === '')
        throw new Error('no route decoded');
    return n;
}
export const routeDump = {
    id: 'route-dump',
    title: 'a 100,000-route dump: nlring engine + Observable vs a plain koffi recv loop',
    needsRoot: true,
    async run(progress) {
        const ns = createBenchNetns();
        try {
            progress('setting up 100,000 routes');
            // IPv4 only, and no IPv6 on the links: nothing (link-local routes, DAD) changes the
            // table while it is measured.
            ns.exec('sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1');
            const commands = [
                'link add v0 type veth peer name v1',
                'addr add 192.168.0.1/24 dev v0',
                'link set v0 up',
                'link set v1 up',
            ];
            for (let i = 0; i < ROUTES; i++) {
                commands.push(`route add ${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}.0/24 via 192.168.0.2 dev v0`);
            }
            ns.batch(commands);
            const ifname = new Map();
            for (const l of JSON.parse(ns.exec('ip', '-j', 'link', 'show'))) {
                ifname.set(l.ifindex, l.ifname);
            }
            const request = routeDumpRequest({ family: AF_INET, seq: 3 });
            const expected = koffiLoop(ns.name, request);
            if (expected < ROUTES)
                throw new Error(`dump holds ${expected} routes, expected >= ${ROUTES}`);
            // Warm up all three.
            await nlringMessages(ns.name);
            await nlringRoutes(ns.name, ifname);
            const base = [];
            const stream = [];
            const decoded = [];
            const trials = 7;
            for (let t = 0; t < trials; t++) {
                progress(`trial ${t + 1}/${trials}`);
                const k = timed(() => koffiLoop(ns.name, request));
                if (k.value !== expected)
                    throw new Error(`koffi loop saw ${k.value}`);
                base.push(expected / k.seconds);
                const m = await timedAsync(() => nlringMessages(ns.name));
                if (m.value !== expected)
                    throw new Error(`nlring saw ${m.value} of ${expected} messages`);
                stream.push(expected / m.seconds);
                const d = await timedAsync(() => nlringRoutes(ns.name, ifname));
                if (d.value !== expected)
                    throw new Error(`nlring decoded ${d.value} of ${expected} routes`);
                decoded.push(expected / d.seconds);
            }
            const baseline = {
                name: 'plain koffi recv() loop, light decoding',
                value: median(base),
                unit: 'messages/s',
            };
            const results = [
                {
                    id: 'route-dump-messages',
                    title: `${expected} route messages: ring engine + fromRing + parseMessages + ofType`,
                    subject: { name: 'nlring message stream', value: median(stream), unit: 'messages/s' },
                    baseline,
                    ratio: median(stream) / median(base),
                    target: 0.9,
                    extra: {
                        'nlring min..max': `${Math.round(Math.min(...stream))}..${Math.round(Math.max(...stream))}`,
                    },
                },
                {
                    id: 'route-dump-decoded',
                    title: `${expected} routes decoded into ip -j style objects (target >= 1 M routes/s)`,
                    subject: { name: 'nlring decoded routes', value: median(decoded), unit: 'routes/s' },
                    baseline,
                    ratio: median(decoded) / median(base),
                    extra: { 'decoded routes/s >= 1 M': median(decoded) >= 1e6 ? 'yes' : 'NO' },
                },
            ];
            return results;
        }
        finally {
            ns.remove();
        }
    },
};
