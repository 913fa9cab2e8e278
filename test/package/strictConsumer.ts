// The tsconfig of a strict TypeScript consumer of the package, shared by the tests that
// compile one: nodenext resolution through the package's "exports", strict with
// exactOptionalPropertyTypes, and the package's .d.ts files checked too (no skipLibCheck).

/** `tsconfig.json` text compiling `files` as such a consumer; `types` as the consumer lists them. */
export function strictConsumerTsconfig(
  files: readonly string[],
  types: { types: readonly string[]; typeRoots?: readonly string[] },
): string {
  return JSON.stringify({
    compilerOptions: {
      target: 'es2022',
      lib: ['es2022'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      skipLibCheck: false,
      ...types,
    },
    files,
  });
}
