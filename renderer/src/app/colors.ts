import type { HighlightColor, Settings } from '../../../electron/contract';

/** The name shown for a colour: the user's label when set ("claim"), else the colour itself. */
export function colorLabel(color: HighlightColor, settings: Pick<Settings, 'colorLabels'>): string {
  return settings.colorLabels[color] ?? color;
}

export function colorTitle(color: HighlightColor, settings: Pick<Settings, 'colorLabels'>): string {
  const label = settings.colorLabels[color];
  return label ? `${color} (${label})` : color;
}
