/**
 * The JSON form of a decoded object: its `ip -j` fields, without `attrs` (the raw
 * attributes the decoder did not map, which have no JSON form in ip). Shallow: nested values
 * are the decoder's plain data already.
 *
 * @example
 * JSON.stringify(jsonObject(route)); // {"type":"unicast","dst":"default",…}
 */
export function jsonObject(object: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key !== 'attrs') out[key] = value;
  }
  return out;
}
