// A consumer's CommonJS module: the entry and each subpath.
const nlring = require('nlring');
const constants = require('nlring/constants');
const netlink = require('nlring/netlink');
const ring = require('nlring/ring');
const testing = require('nlring/testing');
const manifest = require('nlring/package.json');
console.log(
  JSON.stringify({
    fromRing: typeof nlring.fromRing,
    name: manifest.name,
    testing: typeof testing.SimulatedKernel,
    ring: typeof ring.Ring,
    netlink: typeof netlink.MessageWriter,
    constants: constants.NLM_F_DUMP,
  }),
);
