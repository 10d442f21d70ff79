/**
 * The notebook's side of stored images: writing an import's prepared images before its article, and removing images
 * no article uses any more (at open, and when a deleted article's undo window ends), as the PDF originals are.
 * Which images are in use is read from the articles' stored HTML (`gloss-image:` references), live and undoable ones;
 * images written for an import whose article is not written yet are held meanwhile.
 */
import type { ImportedImages } from '../../contract';
import type { ArticleImages } from '../import/images';
import { imagesReferencedBy, sweepUnusedImages, writeImage } from './store';

export class ImageKeeper {
  private readonly pending = new Map<string, number>();
  /** Sweeps under way; while any is, a released hold stays until they end (the sweep may have read before the article). */
  private sweeping = 0;
  private readonly releasedDuringSweep: string[] = [];

  /**
   * `htmls`: every stored HTML an article (listed, or deleted but undoable) has. It may be async (a notebook that keeps
   * HTML in content files reads them: the sweep is not on any path the user waits for).
   */
  constructor(
    private readonly dir: string,
    private readonly htmls: () => Iterable<string | undefined> | AsyncIterable<string | undefined>,
  ) {}

  /** Writes an import's images durably; the returned release ends their hold once the article is written (or failed). */
  async write(images: ArticleImages | undefined): Promise<() => void> {
    const names = (images?.images ?? []).map((i) => i.name);
    for (const n of names) this.pending.set(n, (this.pending.get(n) ?? 0) + 1);
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      if (this.sweeping > 0) this.releasedDuringSweep.push(...names);
      else this.unhold(names);
    };
    try {
      for (const image of images?.images ?? []) await writeImage(this.dir, image);
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }

  private unhold(names: readonly string[]): void {
    for (const n of names) {
      const left = (this.pending.get(n) ?? 1) - 1;
      if (left <= 0) this.pending.delete(n);
      else this.pending.set(n, left);
    }
  }

  /**
   * Removes unused images: all of the folder's (at open), or only `names` (those a purged article used). Temp files
   * of killed writes go in the first case, only those older than `tempsBefore` when given (writes in flight stay).
   */
  async sweep(names?: readonly string[], tempsBefore?: number): Promise<void> {
    if (names && names.length === 0) return;
    this.sweeping++;
    try {
      const used = new Set<string>();
      for await (const html of this.htmls()) for (const n of imagesReferencedBy(html)) used.add(n);
      // Holds are asked at each removal, and none ends before the sweep does: an import may write its article after
      // the read above, and its images must not go.
      await sweepUnusedImages(this.dir, (n) => used.has(n) || this.pending.has(n), names, tempsBefore);
    } finally {
      if (--this.sweeping === 0) this.unhold(this.releasedDuringSweep.splice(0));
    }
  }
}

/** What an import's reply says of its images (ImportedArticleSummary.images), or undefined when it had none. */
export function importedImagesOf(images: ArticleImages | undefined): ImportedImages | undefined {
  if (!images) return undefined;
  const notStored = images.report.refused;
  if (images.report.stored === 0 && Object.keys(notStored).length === 0) return undefined;
  return { stored: images.report.stored, notStored };
}
