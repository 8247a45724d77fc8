import { JupyterFrontEnd } from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import type { TranslationBundle } from '@jupyterlab/translation';

import { getInbox, markInboxRead } from '../api';
import { CommandIDs } from '../ids';
import { OPEN_PAGE_COMMAND } from '../page/args';
import type { IInboxEvent } from '../sharingTypes';
import { describeEvent, eventSection } from './logic';
import { InboxModel, setCurrentInbox } from './model';
import { registerReviewEvents } from './reviewEvents';

/** Events raised one by one; more at once are summed up in one notification. */
const MAX_SINGLE = 3;

function storageKey(): string {
  // One server, one user: the base URL tells servers apart on one origin.
  return `jupyterlab-atrium:gallery-inbox-notified:${PageConfig.getBaseUrl()}`;
}

/**
 * Start the inbox: polled once JupyterLab has restored its layout (`plugin.ts` calls this
 * only when the gallery is on), each new event raised once in the notification area.
 */
export function startInbox(
  app: JupyterFrontEnd,
  trans: TranslationBundle
): InboxModel {
  const { commands } = app;
  registerReviewEvents();
  const open = (event: IInboxEvent) => ({
    label: trans.__('Open'),
    caption: trans.__("Open the notebook's gallery page"),
    callback: () => {
      const section = eventSection(event);
      void commands.execute(OPEN_PAGE_COMMAND, {
        id: event.notebookId,
        ...(section ? { section } : {})
      });
    }
  });
  const notify = (events: IInboxEvent[]) => {
    if (events.length > MAX_SINGLE) {
      Notification.info(
        trans._n(
          '%1 new gallery notification: see the Inbox in the gallery panel',
          '%1 new gallery notifications: see the Inbox in the gallery panel',
          events.length
        ),
        {
          autoClose: false,
          actions: [
            {
              label: trans.__('Gallery'),
              callback: () => void commands.execute(CommandIDs.openPanel)
            }
          ]
        }
      );
      return;
    }
    for (const event of events) {
      Notification.info(describeEvent(event, trans), {
        autoClose: false,
        actions: [open(event)]
      });
    }
  };
  const model = new InboxModel(
    { fetch: () => getInbox({ limit: 20 }), markRead: markInboxRead },
    {
      restored: app.restored,
      isVisible: () => document.visibilityState !== 'hidden',
      onShown: callback => {
        const listener = () => {
          if (document.visibilityState !== 'hidden') {
            callback();
          }
        };
        document.addEventListener('visibilitychange', listener);
        return () => document.removeEventListener('visibilitychange', listener);
      },
      setTimer: (callback, ms) => window.setTimeout(callback, ms),
      clearTimer: handle => window.clearTimeout(handle as number),
      notify,
      loadNotified: () => {
        try {
          return Number(window.localStorage.getItem(storageKey())) || 0;
        } catch {
          return 0; // storage refused (private mode): raised again after a reload
        }
      },
      saveNotified: id => {
        try {
          window.localStorage.setItem(storageKey(), String(id));
        } catch {
          // as above
        }
      }
    }
  );
  setCurrentInbox(model);
  model.start().catch(error => {
    console.warn('Atrium gallery: the inbox did not start', error);
  });
  return model;
}
