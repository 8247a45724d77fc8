/*
 * The gallery diff as a main-area tab, the way jupyterlab-git opens diffs.
 */

import type { JupyterFrontEnd } from '@jupyterlab/application';
import { MainAreaWidget, ReactWidget } from '@jupyterlab/apputils';
import * as React from 'react';

import type { IShowDiffOptions } from './dialog';
import { diffViewProps } from './parts';
import { SideBySideDiff } from './sideBySide';

import '../../../style/gallery-diff.css';

/** The open diff tabs by title: showing the same diff again replaces its tab. */
const open = new Map<string, MainAreaWidget>();
let count = 0;

/**
 * Open the diff in a main-area tab. Resolves once it is shown, or once it is closed with
 * `options.waitForClose`.
 */
export async function openDiffTab(
  app: JupyterFrontEnd,
  options: IShowDiffOptions
): Promise<void> {
  const content = ReactWidget.create(
    <SideBySideDiff {...diffViewProps(options)} />
  );
  content.addClass('jp-Atrium-GalleryDiff-content');
  const widget = new MainAreaWidget({ content });
  widget.id = `atrium-gallery-diff-${++count}`;
  widget.addClass('jp-Atrium-GalleryDiff-tab');
  widget.title.label = options.title;
  widget.title.caption = `${options.beforeLabel} → ${options.afterLabel}`;
  widget.title.closable = true;
  open.get(options.title)?.dispose();
  open.set(options.title, widget);
  const closed = new Promise<void>(resolve =>
    widget.disposed.connect(() => {
      if (open.get(options.title) === widget) {
        open.delete(options.title);
      }
      resolve();
    })
  );
  app.shell.add(widget, 'main');
  app.shell.activateById(widget.id);
  if (options.waitForClose) {
    await closed;
  }
}
