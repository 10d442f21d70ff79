/**
 * Gloss's highlight colours as PDF colours, both ways: the RGB written as an exported annotation's /C, and the nearest
 * Gloss colour for an annotation made elsewhere.
 *
 * The reference values are the light theme's highlight colours (renderer/src/app/styles.css, --hl-*), so an exported
 * highlight looks in Acrobat as it does in Gloss and comes back as the same colour.
 */
import { DEFAULT_COLOR, HIGHLIGHT_COLORS, type HighlightColor } from '../../contract';

export const GLOSS_RGB: Record<HighlightColor, readonly [number, number, number]> = {
  yellow: [0xfd, 0xe6, 0x8a],
  green: [0xbb, 0xf7, 0xd0],
  blue: [0xbf, 0xdb, 0xfe],
  pink: [0xfb, 0xcf, 0xe8],
  purple: [0xdd, 0xd6, 0xfe],
};

/**
 * OKLab (Björn Ottosson, 2020) of an sRGB colour, 0..255 a channel: a perceptual space like CIE Lab whose hue holds
 * steady where Lab's bends (in Lab, pure blue (0, 0, 255) sits at the hue of Gloss's lavender purple).
 */
export function rgbToOklab([r, g, b]: readonly number[]): [number, number, number] {
  const linear = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const [R, G, B] = [linear(r), linear(g), linear(b)];
  const l = Math.cbrt(0.4122214708 * R + 0.5363325363 * G + 0.0514459929 * B);
  const m = Math.cbrt(0.2119034982 * R + 0.6806995451 * G + 0.1073969566 * B);
  const s = Math.cbrt(0.0883024619 * R + 0.2817188376 * G + 0.6299787005 * B);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

/** Below this chroma (a grey, black, white) a colour has no hue to match: it becomes the default colour. */
const NEUTRAL_CHROMA = 0.03;
const REFERENCE_LAB = HIGHLIGHT_COLORS.map((color) => [color, rgbToOklab(GLOSS_RGB[color])] as const);

/**
 * The Gloss colour nearest to an annotation's colour (0..255 a channel; null or not RGB: the default colour).
 *
 * Nearest by hue in OKLab, not by plain distance: other tools' highlight colours are saturated (Acrobat's (255, 237,
 * 0), Zotero's #ff6666) while Gloss's are pastel, so by plain distance nearly everything lands on the lightest pastel
 * (pure red and pure green both on yellow). Instead the annotation's hue direction is taken at each reference's
 * chroma and compared with it in the a*b* plane (2 C sin(dHue / 2)): red goes to pink, green to green, orange to
 * yellow, blue to blue, violet to purple, Zotero's and Preview's colours to their namesakes.
 */
export function nearestGlossColor(rgb: ArrayLike<number> | null | undefined): HighlightColor {
  if (!rgb || rgb.length !== 3) return DEFAULT_COLOR;
  const [, a, b] = rgbToOklab([rgb[0], rgb[1], rgb[2]]);
  const chroma = Math.hypot(a, b);
  if (!(chroma >= NEUTRAL_CHROMA)) return DEFAULT_COLOR;
  let best: HighlightColor = DEFAULT_COLOR;
  let bestDistance = Infinity;
  for (const [color, [, ra, rb]] of REFERENCE_LAB) {
    const rc = Math.hypot(ra, rb);
    const distance = Math.hypot((a / chroma) * rc - ra, (b / chroma) * rc - rb);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = color;
    }
  }
  return best;
}

/** A Gloss colour as PDF RGB components, 0..1. */
export function glossPdfColor(color: HighlightColor): [number, number, number] {
  const [r, g, b] = GLOSS_RGB[color];
  return [r / 255, g / 255, b / 255];
}
