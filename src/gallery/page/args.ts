/*
 * How a gallery notebook's page is named: its command, its arguments as the layout
 * restorer saves them, its widget id. Pure and small: the startup code needs it to
 * register the restorer, and jest checks that what is saved is what the command takes.
 */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

/** Opens (or activates) the page of the gallery notebook `{ id }`. */
export const OPEN_PAGE_COMMAND = 'atrium-gallery:open-notebook';

/** The widget tracker's namespace, the prefix of the restorer's saved names. */
export const PAGE_NAMESPACE = 'atrium-gallery-notebook';

/** Gallery ids are the service's hex uuids; anything else in saved state is stale. */
const ID = /^[A-Za-z0-9_-]{1,128}$/;

/** The notebook id in a command's arguments, or null when there is no valid one. */
export function notebookIdOf(args: ReadonlyPartialJSONObject): string | null {
  const id = args.id;
  return typeof id === 'string' && ID.test(id) ? id : null;
}

/** A part of a notebook's page the open command can scroll to (`{ id, section }`). */
export type PageSection = 'reviews';

/**
 * Dispatched on a page's node once it is open, for its `section` (`detail`): the page
 * shows that section.
 */
export const PAGE_SECTION_EVENT = 'atrium-gallery-section';

/** The section in a command's arguments, or null. */
export function sectionOf(args: ReadonlyPartialJSONObject): PageSection | null {
  return args.section === 'reviews' ? args.section : null;
}

/** The arguments that open the page of `id` again (what the restorer saves). */
export function pageArgs(id: string): { id: string } {
  return { id };
}

/** The DOM id of the page of `id`: one page per notebook. */
export function pageWidgetId(id: string): string {
  return `${PAGE_NAMESPACE}-${id}`;
}

/** The notebook id of the page whose DOM id is `widgetId`, or null for another widget. */
export function notebookIdOfWidget(widgetId: string): string | null {
  const prefix = `${PAGE_NAMESPACE}-`;
  if (!widgetId.startsWith(prefix)) {
    return null;
  }
  return notebookIdOf({ id: widgetId.slice(prefix.length) });
}
