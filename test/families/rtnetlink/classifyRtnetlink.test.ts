import { describe, expect, it } from 'vitest';
import { classifyRtnetlink } from '../../../src/families/rtnetlink/classifyRtnetlink.js';
import {
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_DELNEIGH,
  RTM_DELROUTE,
  RTM_GETROUTE,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWNEIGH,
  RTM_NEWROUTE,
  RTM_NEWRULE,
  RTM_SETLINK,
} from '../../../src/families/rtnetlink/constants.js';
import { NLMSG_DONE, NLMSG_ERROR } from '../../../src/netlink/constants.js';

describe('classifyRtnetlink', () => {
  it.each([
    { name: 'RTM_NEWLINK', type: RTM_NEWLINK, event: { kind: 'link', action: 'new' } },
    { name: 'RTM_DELLINK', type: RTM_DELLINK, event: { kind: 'link', action: 'del' } },
    { name: 'RTM_NEWADDR', type: RTM_NEWADDR, event: { kind: 'address', action: 'new' } },
    { name: 'RTM_DELADDR', type: RTM_DELADDR, event: { kind: 'address', action: 'del' } },
    { name: 'RTM_NEWROUTE', type: RTM_NEWROUTE, event: { kind: 'route', action: 'new' } },
    { name: 'RTM_DELROUTE', type: RTM_DELROUTE, event: { kind: 'route', action: 'del' } },
    { name: 'RTM_NEWNEIGH', type: RTM_NEWNEIGH, event: { kind: 'neigh', action: 'new' } },
    { name: 'RTM_DELNEIGH', type: RTM_DELNEIGH, event: { kind: 'neigh', action: 'del' } },
    { name: 'RTM_GETROUTE (a request)', type: RTM_GETROUTE, event: undefined },
    { name: 'RTM_SETLINK', type: RTM_SETLINK, event: undefined },
    { name: 'RTM_NEWRULE', type: RTM_NEWRULE, event: undefined },
    { name: 'NLMSG_DONE', type: NLMSG_DONE, event: undefined },
    { name: 'NLMSG_ERROR', type: NLMSG_ERROR, event: undefined },
  ])('classifies $name', ({ type, event }) => {
    expect(classifyRtnetlink(type)).toEqual(event);
  });

  it('returns shared frozen objects', () => {
    const event = classifyRtnetlink(RTM_NEWROUTE);
    expect(classifyRtnetlink(RTM_NEWROUTE)).toBe(event);
    expect(Object.isFrozen(event)).toBe(true);
  });
});
