/**
 * A failure the command has already put into words for a person (an unknown namespace, a
 * missing privilege, a missing build): printed as is on one line, exit status 1.
 *
 * @example
 * throw new CliError("no network namespace 'blue' (ip netns list)");
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}
