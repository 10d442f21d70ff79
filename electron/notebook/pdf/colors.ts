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

/** CIE L*a*b* (D65) of an sRGB colour, 0..255 a channel. */
export function rgbToLab([r, g, b]: readonly number[]): [number, number, number] {
  const linear = (c: number) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  const [R, G, B] = [linear(r), linear(g), linear(b)];
  const X = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
  const Y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
  const Z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
  const f = (t: number) => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))];
}

/** Below this chroma (a grey, black, white) a colour has no hue to match: it becomes the default colour. */
const NEUTRAL_CHROMA = 8;
const REFERENCE_LAB = HIGHLIGHT_COLORS.map((color) => [color, rgbToLab(GLOSS_RGB[color])] as const);

/**
 * The Gloss colour nearest to an annotation's colour (0..255 a channel; null or not RGB: the default colour).
 *
 * Nearest by hue in Lab, not by plain Lab distance: other tools' highlight colours are saturated (Acrobat's (255, 237,
 * 0), Zotero's #ff6666) while Gloss's are pastel, so by plain distance nearly everything lands on the lightest pastel
 * (pure red and pure green both on yellow). Instead the annotation's hue direction is taken at each reference's
 * chroma and compared with it in the a*b* plane (2 C sin(dHue / 2)): red goes to pink, green to green, orange to
 * yellow, Zotero's and Preview's five colours to their namesakes.
 */
export function nearestGlossColor(rgb: ArrayLike<number> | null | undefined): HighlightColor {
  if (!rgb || rgb.length !== 3) return DEFAULT_COLOR;
  const [, a, b] = rgbToLab([rgb[0], rgb[1], rgb[2]]);
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
