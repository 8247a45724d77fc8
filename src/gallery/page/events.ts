/*
 * The gallery panel and the notebooks' pages are separate widgets (and chunks); they
 * talk through window events, as the health reports reach the panel.
 */

/** Something the gallery's lists show changed on a page (a star, a deletion). */
export const GALLERY_CHANGED_EVENT = 'atrium-gallery-changed';

/**
 * Escape on a notebook's page: the gallery panel, if it is on screen, gives the focus to
 * that notebook's result and cancels the event (`detail.id`: the notebook).
 */
export const FOCUS_RESULT_EVENT = 'atrium-gallery-focus-result';

export function announce(name: string, id: string): boolean {
  return window.dispatchEvent(
    new CustomEvent(name, { detail: { id }, cancelable: true })
  );
}
