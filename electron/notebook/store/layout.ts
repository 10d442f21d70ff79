/**
 * Where things live in a notebook folder (version 2; README "Data layout"). What is synced between machines sits at the
 * top; what belongs to one machine (lock, backups, trash, caches, window state) sits under `local/`, which the
 * `.stignore` Gloss writes keeps out of Syncthing's set.
 */
/** Shared settings (colour labels, `seeded`), each key with its own updatedAt so two machines' changes merge. */
export const NOTEBOOK_FILE = 'notebook.json';
/** One small annotation file per article: metadata, note, highlights, tombstones and its `contentId`. */
export const ARTICLES_DIR = 'articles';
/** Immutable, content-addressed document content (`<sha256>.json`): text, html when not derivable, pages... */
export const CONTENT_DIR = 'content';
/** Per machine, never synced. */
export const LOCAL_DIR = 'local';
/** Rolling backups of the small files (articles/ and notebook.json), never of immutable content. */
export const BACKUPS_DIR = 'local/backups';
/** Files that could not be read are moved here, bytes untouched, never deleted by Gloss. */
export const DAMAGED_DIR = 'local/damaged';
/** Deleted articles' annotation files wait here for undo. */
export const TRASH_DIR = 'local/trash';
/** Derived, rebuildable caches (article summaries; the search index). */
export const CACHE_DIR = 'local/cache';
/** The window's UiSettings (theme, reader places): one machine's, never synced. */
export const UI_FILE = 'local/ui.json';
/** What the user should be told about on this machine (damaged files, restored backups, migrations). */
export const NOTICES_FILE = 'local/notices.json';
/** Syncthing's ignore list, written by Gloss. */
export const STIGNORE_FILE = '.stignore';

/** Version 1's index (the whole article list and settings, rewritten on every add/delete): migrated on open. */
export const V1_INDEX_FILE = 'gloss-index.json';
/** @deprecated name of V1_INDEX_FILE kept for old imports. */
export const INDEX_FILE = V1_INDEX_FILE;
/** Version 1's folders at the top of the notebook (moved under local/ by the migration). */
export const V1_BACKUPS_DIR = 'backups';
export const V1_DAMAGED_DIR = 'damaged';
export const V1_TRASH_DIR = 'trash';
