import { ReactWidget, UseSignal } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { ToolbarButtonComponent } from '@jupyterlab/ui-components';
import { CommandRegistry } from '@lumino/commands';
import { ReadonlyJSONObject } from '@lumino/coreutils';
import { Menu } from '@lumino/widgets';
import * as React from 'react';

import { describeError } from '../common/request';
import { CommandIDs } from './ids';
import { galleryIcon } from './panel/icon';
import { GallerySync } from './sync';
import { SyncStatus } from './types';

export { CommandIDs } from './ids';

/**
 * Whether the linked notebook may be updated by this user: the gallery's word when it
 * answered, else the role recorded in the link.
 */
export function canEdit(sync: GallerySync): boolean {
  const summary = sync.summary;
  if (summary && sync.link && summary.id === sync.link.id) {
    return summary.canEdit;
  }
  return sync.link?.role === 'owner';
}

/**
 * Whether the notebook is known to be the same as its gallery version (so there is
 * nothing to update or suggest).
 */
export function isUnchanged(status: SyncStatus | null): boolean {
  return status === 'up-to-date' || status === 'behind';
}

/**
 * What the toolbar button does for a notebook in this state.
 */
export function primaryAction(sync: GallerySync): string {
  if (!sync.link || sync.status === 'gone') {
    return CommandIDs.publish;
  }
  return canEdit(sync) ? CommandIDs.update : CommandIDs.changeRequest;
}

export function statusLabel(
  status: SyncStatus,
  trans: TranslationBundle
): string {
  switch (status) {
    case 'up-to-date':
      return trans.__('Up to date');
    case 'local-changes':
      return trans.__('Local changes');
    case 'behind':
      return trans.__('Newer in gallery');
    case 'diverged':
      return trans.__('Diverged');
    case 'gone':
      return trans.__('Gone from gallery');
    default:
      return trans.__('Sync unknown');
  }
}

/**
 * The indicator's tooltip: what the status means, with the versions involved.
 */
export function statusTooltip(
  sync: GallerySync,
  trans: TranslationBundle
): string {
  const link = sync.link;
  const summary = sync.summary;
  const base = link?.version ?? 0;
  const latest = summary?.version ?? base;
  switch (sync.status) {
    case 'up-to-date':
      return trans.__('Same as version %1 in the gallery.', base);
    case 'local-changes':
      return canEdit(sync)
        ? trans.__(
            'Changed here since gallery version %1. Update the gallery to publish your changes.',
            base
          )
        : trans.__(
            'Changed here since gallery version %1. Suggest your changes to the owner with a change request.',
            base
          );
    case 'behind':
      return trans.__(
        'The gallery has version %1; this notebook is version %2 and unchanged.',
        latest,
        base
      );
    case 'diverged':
      return trans.__(
        'Changed here, and the gallery has a newer version (%1; this notebook is based on %2).',
        latest,
        base
      );
    case 'gone':
      return trans.__(
        'The gallery entry was deleted or is no longer visible to you. You can publish this notebook again, or unlink it.'
      );
    default: {
      const error = sync.error;
      return error
        ? trans.__(
            'The gallery could not be checked: %1',
            describeError(error, trans)
          )
        : trans.__('Checking the gallery…');
    }
  }
}

/**
 * The notebook toolbar's "Publish to gallery" button. For a linked notebook it updates
 * the gallery (owner) or suggests changes (others).
 */
export class PublishButton extends ReactWidget {
  constructor(
    private readonly _sync: GallerySync,
    private readonly _commands: CommandRegistry,
    private readonly _args: ReadonlyJSONObject,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-Atrium-Gallery-publishButton');
    this.node.dataset.testid = 'atrium-gallery-publish';
  }

  protected render(): JSX.Element {
    return (
      <UseSignal signal={this._sync.changed}>
        {() => {
          const action = primaryAction(this._sync);
          const trans = this._trans;
          const label =
            action === CommandIDs.publish
              ? trans.__('Publish to gallery')
              : action === CommandIDs.update
                ? trans.__('Update gallery')
                : trans.__('Suggest changes');
          const tooltip =
            action === CommandIDs.publish
              ? trans.__(
                  'Publish this notebook to the gallery (outputs are removed first)'
                )
              : action === CommandIDs.update
                ? trans.__('Publish your changes as a new gallery version')
                : trans.__(
                    'Send your changes to the owner as a change request'
                  );
          this.node.dataset.action = action;
          return (
            <ToolbarButtonComponent
              icon={galleryIcon}
              label={label}
              tooltip={tooltip}
              enabled={this._commands.isEnabled(action, this._args)}
              onClick={() => {
                void this._commands.execute(action, this._args);
              }}
            />
          );
        }}
      </UseSignal>
    );
  }
}

/**
 * The sync status of a linked notebook, visible without clicking; a click opens the
 * gallery actions. Hidden while the notebook is not linked.
 */
export class SyncIndicator extends ReactWidget {
  constructor(
    private readonly _sync: GallerySync,
    private readonly _commands: CommandRegistry,
    private readonly _args: ReadonlyJSONObject,
    private readonly _trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-Atrium-Gallery-syncIndicator');
    this.node.dataset.testid = 'atrium-gallery-sync';
    this._sync.changed.connect(this._onChanged, this);
    this._onChanged();
  }

  /** Open the actions menu under the indicator. */
  openMenu(): void {
    const menu = new Menu({ commands: this._commands });
    menu.addClass('jp-Atrium-Gallery-syncMenu');
    const items = [
      CommandIDs.check,
      CommandIDs.diff,
      CommandIDs.update,
      CommandIDs.changeRequest,
      CommandIDs.openGalleryVersion,
      CommandIDs.fork,
      CommandIDs.publish,
      CommandIDs.openPanel,
      CommandIDs.unlink
    ];
    // Only what can be done now: the menu is a list of actions, not of features.
    for (const command of items) {
      if (
        this._commands.hasCommand(command) &&
        this._commands.isEnabled(command, this._args)
      ) {
        menu.addItem({ command, args: this._args });
      }
    }
    const rect = this.node.getBoundingClientRect();
    menu.aboutToClose.connect(() => {
      // Disposed after the command it ran has started.
      requestAnimationFrame(() => menu.dispose());
    });
    menu.open(rect.left, rect.bottom);
  }

  dispose(): void {
    this._sync.changed.disconnect(this._onChanged, this);
    super.dispose();
  }

  protected render(): JSX.Element | null {
    const status = this._sync.status;
    if (status === null) {
      return null;
    }
    const trans = this._trans;
    return (
      <button
        type="button"
        className="jp-Atrium-Gallery-syncButton jp-ToolbarButtonComponent"
        title={statusTooltip(this._sync, trans)}
        aria-haspopup="menu"
        aria-label={trans.__('Gallery sync: %1', statusLabel(status, trans))}
        onClick={() => this.openMenu()}
      >
        <span className="jp-Atrium-Gallery-syncDot" aria-hidden="true" />
        <span className="jp-Atrium-Gallery-syncLabel">
          {statusLabel(status, trans)}
        </span>
      </button>
    );
  }

  private _onChanged(): void {
    const status = this._sync.status;
    this.node.dataset.status = status ?? 'unlinked';
    this.setHidden(status === null);
    this.update();
  }
}
