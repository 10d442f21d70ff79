import { IMAGE_LIMITS } from '../images';
import type { FetchedImage } from './images';
import { fetchBytes, type FetchOptions } from './url';

/** Images fetched at once for one import: a page with 50 images should not open 50 sockets. */
const CONCURRENCY = 4;
/** Each image's own deadline, and the whole set's: an import waits at most this long for its images. */
const IMAGE_TIMEOUT_MS = 10_000;
const ALL_IMAGES_TIMEOUT_MS = 45_000;

/**
 * A URL import's images, fetched on the notebook's side (network waits cost no CPU) under exactly the page's address
 * rules (fetchBytes: every hop's address checked, the connection pinned to it), each under the one-image cap, all
 * under the article's total. What fails is counted (`unavailable`), never fatal: the article imports without it.
 * The bytes are judged in the worker (attachImages), never here.
 */
export async function fetchImages(
  urls: readonly string[],
  options: Pick<FetchOptions, 'lookup' | 'allowPrivateRanges'>,
): Promise<{ fetched: FetchedImage[]; unavailable: number }> {
  const fetched: FetchedImage[] = [];
  let unavailable = 0;
  let total = 0;
  const deadline = Date.now() + ALL_IMAGES_TIMEOUT_MS;
  const queue = [...urls];
  const worker = async (): Promise<void> => {
    for (let url = queue.shift(); url !== undefined; url = queue.shift()) {
      const left = deadline - Date.now();
      if (left <= 0 || total > IMAGE_LIMITS.maxArticleBytes) {
        unavailable++;
        continue;
      }
      try {
        const got = await fetchBytes(url, { ...options, maxBytes: IMAGE_LIMITS.maxImageBytes, timeoutMs: Math.min(IMAGE_TIMEOUT_MS, left), maxRedirects: 5 });
        total += got.bytes.byteLength;
        fetched.push({ url, bytes: got.bytes, contentType: got.contentType });
      } catch {
        unavailable++;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, urls.length) }, worker));
  return { fetched, unavailable };
}
