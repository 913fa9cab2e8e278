// Loaded with --import before the consumer's code: the platform becomes the one named in
// NLRING_FAKE_PLATFORM, and koffi cannot load, by import or by require, as off Linux. Each
// attempt is recorded in globalThis.koffiAttempts.
import Module, { register } from 'node:module';

Object.defineProperty(process, 'platform', { value: process.env.NLRING_FAKE_PLATFORM });
globalThis.koffiAttempts = [];
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request === 'koffi' || request.startsWith('koffi/')) {
    globalThis.koffiAttempts.push(`require ${request}`);
    throw new Error(`koffi is not loadable on ${process.platform}`);
  }
  return load.call(this, request, ...rest);
};
// ESM imports go through the loader thread: its resolve hook refuses koffi the same way.
register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (specifier === 'koffi' || specifier.startsWith('koffi/')) {
        throw new Error('koffi is not loadable (import ' + specifier + ')');
      }
      return next(specifier, context);
    }`)}`,
);
