// Orders Square versions. Orders and customers carry an integer `version`;
// other objects only an `updated_at` timestamp or an opaque token.
//
// Integers compare as integers ("10" > "9"). ISO timestamps would compare
// fine as strings if Square always wrote them the same way, but it does
// not (".4Z", ".45Z", no fraction, "-05:00" offsets), so two timestamps are
// compared as instants, to the nanosecond. Anything else compares as text.

const INTEGER = /^-?\d+$/;
const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}:\d{2})$/;

/** [epoch seconds, nanoseconds] or undefined when not RFC 3339. */
function instant(value: string): [number, number] | undefined {
  const match = RFC3339.exec(value);
  if (!match) return undefined;

  const [, date, time, fraction = '', zone] = match;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone;
  const ms = Date.parse(`${date}T${time}${offset}`);
  if (Number.isNaN(ms)) return undefined;
  return [ms / 1000, Number(fraction.padEnd(9, '0'))];
}

function sign(n: number | bigint): -1 | 0 | 1 {
  return n > 0 ? 1 : n < 0 ? -1 : 0;
}

/** -1 when a is older than b, 0 when equal, 1 when newer. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  if (INTEGER.test(a) && INTEGER.test(b)) return sign(BigInt(a) - BigInt(b));

  const ia = instant(a);
  const ib = instant(b);
  if (ia && ib) return sign(ia[0] - ib[0]) || sign(ia[1] - ib[1]);

  return a < b ? -1 : a > b ? 1 : 0;
}
