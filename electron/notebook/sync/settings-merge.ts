/**
 * Merging two versions of notebook.json (the shared settings: colour labels, `seeded`). Each key carries the time of
 * its last change in `updatedAt` (a removed label keeps its time), so the newer change wins per key, and a label set
 * on one machine and another label on the other are both kept. Equal times are decided by the value, the same way on
 * every machine. Commutative, associative, idempotent, like the article merge.
 */
import type { HighlightColor, Settings } from '../../contract';

export interface SharedSettingsDoc {
  schemaVersion: number;
  settings: Pick<Settings, 'colorLabels'>;
  seeded: boolean;
  updatedAt: Record<string, string>;
}

export function mergeSettingsDocs<D extends SharedSettingsDoc>(a: D, b: D): D {
  const labels: Partial<Record<HighlightColor, string>> = {};
  const updatedAt: Record<string, string> = {};
  const colors = new Set([...Object.keys(a.settings.colorLabels ?? {}), ...Object.keys(b.settings.colorLabels ?? {})]);
  for (const key of [...Object.keys(a.updatedAt ?? {}), ...Object.keys(b.updatedAt ?? {})]) {
    if (key.startsWith('colorLabels.')) colors.add(key.slice('colorLabels.'.length));
  }
  for (const color of [...colors].sort()) {
    const key = `colorLabels.${color}`;
    const va = a.settings.colorLabels?.[color as HighlightColor];
    const vb = b.settings.colorLabels?.[color as HighlightColor];
    const chosen = newer(a.updatedAt?.[key], va, b.updatedAt?.[key], vb);
    if (chosen.value !== undefined) labels[color as HighlightColor] = chosen.value;
    if (chosen.at) updatedAt[key] = chosen.at;
  }
  // `seeded` only ever becomes true: once either machine seeded the notebook, neither seeds it again.
  const seeded = a.seeded || b.seeded;
  const seededAt = [a.updatedAt?.seeded, b.updatedAt?.seeded].filter((x): x is string => Boolean(x)).sort()[0];
  if (seededAt) updatedAt.seeded = seededAt;
  const sorted: Record<string, string> = {};
  for (const key of Object.keys(updatedAt).sort()) sorted[key] = updatedAt[key];
  return { ...a, schemaVersion: Math.max(a.schemaVersion, b.schemaVersion), settings: { colorLabels: labels }, seeded, updatedAt: sorted };
}

function newer(aAt: string | undefined, aValue: string | undefined, bAt: string | undefined, bValue: string | undefined): { at?: string; value?: string } {
  const x = aAt ?? '';
  const y = bAt ?? '';
  if (x !== y) return x > y ? { at: aAt, value: aValue } : { at: bAt, value: bValue };
  return (aValue ?? '') >= (bValue ?? '') ? { at: aAt, value: aValue } : { at: bAt, value: bValue };
}
