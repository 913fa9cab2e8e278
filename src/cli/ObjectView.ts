/**
 * How the command shows one kind of object to a person: the columns of the table a dump
 * prints (`header`, with the `numeric` ones right-aligned, and `row`), and the one-line form
 * a monitor prints for a change (`line`).
 *
 * @example
 * const view: ObjectView<{ name: string; mtu: number }> = {
 *   header: ['NAME', 'MTU'], numeric: ['MTU'],
 *   row: (o) => [o.name, String(o.mtu)], line: (o) => `${o.name} mtu ${o.mtu}`,
 * };
 */
export interface ObjectView<T> {
  readonly header: readonly string[];
  readonly numeric: readonly string[];
  row(object: T): string[];
  line(object: T): string;
}
