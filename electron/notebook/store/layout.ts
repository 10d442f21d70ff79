/** Where things live in a notebook folder. */
export const INDEX_FILE = 'gloss-index.json';
export const ARTICLES_DIR = 'articles';
/** Rolling backups: the last few versions of every file (see backups.ts). */
export const BACKUPS_DIR = 'backups';
/** Files that could not be read are moved here, bytes untouched, never deleted by Gloss. */
export const DAMAGED_DIR = 'damaged';
