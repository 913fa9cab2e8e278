import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * Whether the module whose `import.meta.url` is `moduleUrl` is the program node was asked to
 * run (`node dist/examples/x.js`), as opposed to a module imported by another (the tests
 * import the examples' pipelines). `process.argv[1]` goes through `realpath`, so a run
 * through a symbolic link counts too.
 *
 * @example
 * if (isMainModule(import.meta.url)) main();
 */
export function isMainModule(moduleUrl: string): boolean {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(realpathSync(script)).href;
}
