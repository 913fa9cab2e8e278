// A consumer's TypeScript, compiled against the packed types with strict and
// exactOptionalPropertyTypes on: options built from values that may be undefined, an `open`
// of its own, the narrowing operator, and one name from each subpath.
import {
  dumpRoutes,
  monitor,
  type OfKind,
  type OpenEndpoint,
  ofKind,
  openNetlinkSocket,
  type RtnetlinkChange,
  rtnetlink,
} from 'nlring';
import { AF_INET, NLM_F_DUMP } from 'nlring/constants';
import { MessageWriter } from 'nlring/netlink';
import { chooseGeometry, type RingEndpoint, validateRingRequest } from 'nlring/ring';
import { rtnetlinkKernel, rtnetlinkWorld } from 'nlring/testing';
import type { Observable } from 'rxjs';

const netns: string | undefined = process.env.NETNS;
const open: OpenEndpoint = (request): RingEndpoint =>
  openNetlinkSocket({ ...request, rx: chooseGeometry({ messageSize: 4096, memory: 1 << 16 }) });
export const routes = dumpRoutes({ netns, family: AF_INET, open });
export const changes = monitor({ kinds: ['route'], netns }).pipe(ofKind('route'));
export const narrowed: Observable<OfKind<RtnetlinkChange, 'route'>> = changes;
export const simulated = dumpRoutes({ open: rtnetlinkKernel(rtnetlinkWorld()).open });
export const flags: number = NLM_F_DUMP | rtnetlink.RTM_GETROUTE;
export const writer = new MessageWriter();
export const rules = validateRingRequest;
