/**
 * Writes text to a stream and resolves once it is handed to the system (or rejects with the
 * stream's error), so a command that prints a large table waits for the pipe instead of
 * queueing everything in memory.
 *
 * @example
 * await writeText(io.stdout, formatTable(header, rows));
 */
export function writeText(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
