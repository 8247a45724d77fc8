/*
 * One Tab stop for a list (a roving tabindex, as JupyterLab's file browser and the WAI-ARIA
 * Authoring Practices do it): the active item is tabbable, the others are reached with the
 * arrow keys, Home and End. Pure, so jest tests the keys without a DOM.
 */

/**
 * The item a key moves to from `current` in a list of `count` items, or null when the key
 * is not a list key (it is then left to the browser). Stops at the ends, as a listbox does.
 */
export function rovingTarget(
  key: string,
  current: number,
  count: number
): number | null {
  if (count <= 0) {
    return null;
  }
  const from = clampIndex(current, count);
  switch (key) {
    case 'ArrowDown':
      return Math.min(from + 1, count - 1);
    case 'ArrowUp':
      return Math.max(from - 1, 0);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * The active index kept inside a list that may have shrunk (a new page, a deletion).
 */
export function clampIndex(index: number, count: number): number {
  if (count <= 0) {
    return 0;
  }
  return Math.max(0, Math.min(index, count - 1));
}
