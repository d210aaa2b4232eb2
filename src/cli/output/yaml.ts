/** A small YAML-like dump for human output (`berth info`), in the shape `podman info` prints. */
export function toYaml(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]\n`;
    return value
      .map((v) => {
        if (v !== null && typeof v === 'object') return `${pad}- ${toYaml(v, indent + 2).trimStart()}`;
        return `${pad}- ${scalar(v)}\n`;
      })
      .join('');
  }
  if (value !== null && typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const nonEmpty =
        v !== null && typeof v === 'object' && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0);
      if (nonEmpty) out += `${pad}${k}:\n${toYaml(v, indent + 2)}`;
      else
        out += `${pad}${k}: ${Array.isArray(v) ? '[]' : v !== null && typeof v === 'object' ? '{}' : scalar(v)}\n`;
    }
    return out;
  }
  return `${pad}${scalar(value)}\n`;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '""';
  if (typeof v === 'string')
    return v === '' || /^\s|\s$|^[-?:,[\]{}#&*!|>'"%@`]|: /.test(v) ? JSON.stringify(v) : v;
  return String(v);
}
