import { useEffect, useState, type RefObject } from 'react';
import type { Article } from '../../../electron/contract';
import { countRemoteImages, loadRemoteImages, showInlineImages, showStoredImages, unloadRemoteImages } from './remote-content';

interface Props {
  /** The reader's <article>, already holding the rendered article (the Reader renders it in a layout effect). */
  root: RefObject<HTMLElement | null>;
  article: Pick<Article, 'id' | 'html' | 'text' | 'loadRemoteImages'>;
  /** Persists the per-article choice (updateArticleMeta { loadRemoteImages }). */
  onChoose?: (load: boolean) => void;
  /** Where stored images are shown from (the client's imageUrls); without it they stay unshown. */
  imageUrls?: () => Promise<(name: string) => string>;
}

/**
 * Images stored with the article are shown from the notebook at once (no consent: nothing leaves the machine). The
 * consent below remains for remote images that were not stored: articles imported before images were stored, and a
 * saved file's remote images when its `_files` folder was not given with it.
 *
 * The per-article consent to load remote images. Nothing remote loads until the user presses "Load images"; the choice
 * is kept with the article, so it is asked once per article, not once per visit.
 */
export function RemoteImages({ root, article, onChoose, imageUrls }: Props) {
  const [count, setCount] = useState(0);
  const allowed = Boolean(article.loadRemoteImages);

  // A passive effect: it runs after the Reader's layout effect has put this version of the article in the DOM.
  useEffect(() => {
    const element = root.current;
    if (!element) return;
    showInlineImages(element);
    setCount(countRemoteImages(element));
    if (allowed) loadRemoteImages(element);
    else unloadRemoteImages(element);
    // Images stored with the article (issue 17) need no consent: they come from the notebook, not the web.
    let current = true;
    void imageUrls?.().then((urlOf) => {
      if (current && root.current === element) showStoredImages(element, urlOf);
    });
    return () => {
      current = false;
    };
  }, [root, article.id, article.html, article.text, allowed, imageUrls]);

  if (count === 0 || !onChoose) return null;
  return (
    <p className="remote-images">
      {allowed
        ? `${count} image${count === 1 ? '' : 's'} from the web ${count === 1 ? 'is' : 'are'} shown for this article.`
        : `${count} image${count === 1 ? '' : 's'} from the web ${count === 1 ? 'is' : 'are'} not loaded, so no site learns you are reading this.`}
      <button type="button" onClick={() => onChoose(!allowed)}>
        {allowed ? 'Stop loading images' : 'Load images'}
      </button>
    </p>
  );
}
