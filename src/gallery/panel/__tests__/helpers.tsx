import { JupyterFrontEnd } from '@jupyterlab/application';
import { IDocumentManager } from '@jupyterlab/docmanager';
import {
  RenderMimeRegistry,
  standardRendererFactories
} from '@jupyterlab/rendermime';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import * as React from 'react';
import { createRoot, Root } from 'react-dom/client';

import {
  DEFAULT_SETTINGS,
  IGalleryPolicy,
  IGallerySettings,
  INotebookSummary
} from '../../types';
import { IPanelEnv } from '../env';
import type { IReview } from '../../reviewTypes';

(
  globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }
).IS_REACT_ACT_ENVIRONMENT = true;

export const act = React.act;

export function summary(
  change: Partial<INotebookSummary> = {}
): INotebookSummary {
  return {
    id: 'nb1',
    title: 'Sales report',
    description: 'Quarterly figures',
    tags: ['sales', 'finance'],
    owner: 'alice',
    visibility: 'public',
    version: 3,
    contentHash: 'hash',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-02T00:00:00Z',
    stars: 2,
    starred: false,
    parentId: null,
    canEdit: false,
    health: {
      label: 'unknown',
      score: null,
      reason: 'Too few runs to judge.'
    },
    openChangeRequests: 0,
    ...change
  };
}

/** The policy the tests' service answers with: user alice, no admin. */
export function policy(): IGalleryPolicy {
  return {
    user: 'alice',
    admin: false,
    allowAttachments: false,
    maxNotebookBytes: 1,
    apiVersion: 1
  };
}

/** A review as the service lists it: asked for by alice, not claimed, of version 1. */
export function review(id: string, change: Partial<IReview> = {}): IReview {
  return {
    id,
    notebookId: `nb-${id}`,
    notebookTitle: `Notebook ${id}`,
    kind: 'technical',
    status: 'requested',
    contentHash: 'hash',
    version: 1,
    current: true,
    requestedBy: 'alice',
    requestedAt: '2026-01-02T00:00:00Z',
    requestedFrom: null,
    claimedBy: null,
    claimedAt: null,
    decidedAt: null,
    comment: '',
    history: [],
    ...change
  };
}

export function makeEnv(settings: Partial<IGallerySettings> = {}): IPanelEnv {
  const translator = nullTranslator;
  return {
    app: { commands: new CommandRegistry() } as unknown as JupyterFrontEnd,
    docManager: {} as IDocumentManager,
    // JupyterLab's own registry and sanitiser; the "parser" passes the text through as
    // HTML, so only the sanitiser stands between a hostile cell and the page.
    rendermime: new RenderMimeRegistry({
      initialFactories: standardRendererFactories,
      markdownParser: { render: async (source: string) => source }
    }),
    translator,
    trans: translator.load('jupyterlab_atrium'),
    settings: () => ({
      ...DEFAULT_SETTINGS,
      searchDebounceMs: 0,
      ...settings
    })
  };
}

export interface IRendered {
  container: HTMLElement;
  root: Root;
  unmount: () => void;
}

export async function render(element: React.ReactElement): Promise<IRendered> {
  const container = document.createElement('div');
  document.body.appendChild(container);
  const root = createRoot(container);
  await act(async () => {
    root.render(element);
  });
  await flush();
  return {
    container,
    root,
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    }
  };
}

/** Let pending promises (mocked API replies) settle and React commit. */
export async function flush(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await act(async () => {
      await Promise.resolve();
    });
  }
}

export async function click(
  element: Element | null | undefined
): Promise<void> {
  if (!element) {
    throw new Error('nothing to click');
  }
  await act(async () => {
    (element as HTMLElement).click();
  });
  await flush();
}

function setValue(
  element: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement,
  value: string
) {
  const proto = Object.getPrototypeOf(element);
  const setter = Object.getOwnPropertyDescriptor(proto, 'value')!.set!;
  setter.call(element, value);
}

export async function type(
  element: Element | null,
  value: string
): Promise<void> {
  const input = element as HTMLInputElement | HTMLTextAreaElement;
  await act(async () => {
    setValue(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export async function choose(element: Element | null, value: string) {
  const select = element as HTMLSelectElement;
  await act(async () => {
    setValue(select, value);
    select.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await flush();
}

export function texts(container: Element, selector: string): string[] {
  return Array.from(container.querySelectorAll(selector)).map(
    node => node.textContent ?? ''
  );
}
