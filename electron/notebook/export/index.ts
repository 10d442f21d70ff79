/** The export module's public surface. Pure Node: imports only the contract, ../errors and npm packages. */
export { renderMarkdownExport, noteCallout } from './markdown';
export { renderTemplate, checkTemplate, articleView, TEMPLATE_VARIABLES } from './template';
export type { TemplateView, ArticleView, HighlightView } from './template';
export { exportToFolder, writeFileAtomic, MANIFEST_FILE } from './folder';
export type { FolderExportResult, FolderConflict } from './folder';
export { safeFileStem } from './filename';
export { toWebAnnotations, fromWebAnnotations, ANNO_CONTEXT } from './w3c';
export type { ParsedAnnotation, WebAnnotationOptions } from './w3c';
export { makeBackup, parseBackup, BACKUP_FORMAT, BACKUP_VERSION } from './backup';
export type { NotebookBackup } from './backup';
export { quoteToBlockquote, escapeInline, blockId } from './escape';
export { inlineTag, tagFromInline } from './tag-names';
export { deepLink, parseDeepLink, routeHash, deepLinkPath } from './deep-link';
export { textFragmentUrl } from './text-fragment';
