// A consumer's CommonJS module.
const nlring = require('nlring');
const testing = require('nlring/testing');
const manifest = require('nlring/package.json');
console.log(
  JSON.stringify({
    fromRing: typeof nlring.fromRing,
    name: manifest.name,
    testing: typeof testing.SimulatedKernel,
  }),
);
