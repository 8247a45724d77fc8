/*
 * The first page of the gallery panel, asked for when the panel is first shown, while its
 * code and the plugin it needs are still loading (issue 16's first open): the request and
 * the loading overlap instead of following each other. The search view takes it once, and
 * only for the query it would have asked for itself.
 */

import type { ISettingRegistry } from '@jupyterlab/settingregistry';

import { searchNotebooks } from '../api';
import { GALLERY_PLUGIN_ID } from '../ids';
import { INotebookSummary, IPage, normalizeSettings } from '../types';
import { INITIAL_SEARCH, searchQuery } from './query';

export interface IPrefetchedPage {
  /** The query's request, as JSON: the page is used only for the same request. */
  readonly query: string;
  take(): Promise<IPage<INotebookSummary>> | null;
}

/** Ask for the first page of an untouched panel with `pageSize` results. */
export function prefetchFirstPage(pageSize: number): IPrefetchedPage {
  const query = searchQuery(INITIAL_SEARCH, pageSize);
  let page: Promise<IPage<INotebookSummary>> | null = searchNotebooks(query);
  // Nobody may come for it (the panel failed to load): never an unhandled rejection.
  page.catch(() => undefined);
  return {
    query: JSON.stringify(query),
    take: () => {
      const taken = page;
      page = null;
      return taken;
    }
  };
}

/** The first page with the page size the settings ask for; null if they cannot be read. */
export async function prefetchFor(
  settingRegistry: ISettingRegistry | null
): Promise<IPrefetchedPage | null> {
  try {
    const loaded = await settingRegistry?.load(GALLERY_PLUGIN_ID);
    return prefetchFirstPage(
      normalizeSettings(
        (loaded?.composite ?? {}) as Parameters<typeof normalizeSettings>[0]
      ).pageSize
    );
  } catch {
    return null; // the panel asks itself
  }
}

/** The prefetched page if it answers `query` and is not taken yet. */
export function takePrefetched(
  prefetched: IPrefetchedPage | null | undefined,
  query: unknown
): Promise<IPage<INotebookSummary>> | null {
  if (!prefetched || prefetched.query !== JSON.stringify(query)) {
    return null;
  }
  return prefetched.take();
}
