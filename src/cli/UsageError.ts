/**
 * A command line the command cannot run: an unknown command or option, a missing or
 * malformed value. The command prints it on one line with the synopsis and exits with
 * status 2, as usage errors do by convention.
 *
 * @example
 * throw new UsageError("--family: expected inet or inet6, got 'ipx'", 'routes');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command it is about (its synopsis is printed), or undefined for `nlring` itself. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}
