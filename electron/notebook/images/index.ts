export {
  IMAGE_LIMITS,
  IMAGE_NAME,
  IMAGE_REF,
  IMAGE_REF_PREFIX,
  IMAGES_DIR,
  imagesReferencedBy,
  prepareImage,
  storedImagePath,
  storedImageType,
  storeImage,
  sweepUnusedImages,
  writeImage,
  type ImageRefusal,
  type Prepared,
  type PreparedImage,
  type StoredImage,
} from './store';
export { sniffRaster, looksLikeSvg, type ImageType } from './sniff';
export { sanitizeSvg } from './svg';
