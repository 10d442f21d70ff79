/** True when a key press belongs to a text field, so reader shortcuts (h, 1-5, ?) must not fire. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

export function isMacPlatform(platform: string): boolean {
  return platform === 'darwin';
}
