/** Flattens nested message objects into dotted keys (used by the translation parity test). */
export function flattenKeys(obj: object, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[key] = v;
    else if (v && typeof v === 'object') Object.assign(out, flattenKeys(v as object, key));
  }
  return out;
}
