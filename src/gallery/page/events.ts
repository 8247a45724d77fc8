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

/**
 * Show a tab of the gallery panel (the review queue command). The command also leaves the
 * tab's name in `data-atrium-show-tab` on the panel's node, for a panel not yet made.
 */
export const SHOW_TAB_EVENT = 'atrium-gallery-show-tab';
export const SHOW_TAB_ATTRIBUTE = 'data-atrium-show-tab';

export function announce(name: string, id: string): boolean {
  return window.dispatchEvent(
    new CustomEvent(name, { detail: { id }, cancelable: true })
  );
}
