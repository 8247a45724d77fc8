/**
 * A fresh kernel for one side of a self-test: a session of its own (so the kernel starts
 * in the notebook's folder and finds the notebook's data files), never the notebook's own
 * kernel, and always shut down afterwards.
 */
import {
  KernelConnection,
  ServerConnection,
  SessionAPI
} from '@jupyterlab/services';
import type { Kernel, Session } from '@jupyterlab/services';
import { UUID } from '@lumino/coreutils';

import { within } from '../check/run';
import { aborted } from './run';

/** The self-test was cancelled while its kernel was starting. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** How long a shutdown may take before the self-test stops waiting for it. */
const SHUTDOWN_MS = 10000;

/** The kernelspec to start: the notebook's, else the server's default. */
export function kernelNameOf(
  notebookMetadata: unknown,
  fallback: string | null
): string | null {
  const spec = (notebookMetadata as { kernelspec?: { name?: unknown } } | null)
    ?.kernelspec;
  return typeof spec?.name === 'string' && spec.name ? spec.name : fallback;
}

/** The session path of a self-test kernel: beside the notebook, a name no file has. */
export function sessionPath(notebookPath: string): string {
  const slash = notebookPath.lastIndexOf('/');
  const folder = slash >= 0 ? notebookPath.slice(0, slash + 1) : '';
  return `${folder}.atrium-self-test-${UUID.uuid4()}.ipynb`;
}

/** How long to wait for a new kernel's first reply before connecting to it again. */
const RECONNECT_MS = 5000;

/**
 * The kernel's info, within `startMs`. A websocket the server refused while the kernel
 * was still starting (jupyter_server answers 500 when the handshake races the kernel's
 * start) is not tried again by JupyterLab, so the connection is made again every few
 * seconds until the kernel answers or the time is up.
 */
async function kernelInfo(
  kernel: Kernel.IKernelConnection,
  startMs: number,
  signal: AbortSignal
): Promise<'aborted' | { timedOut: true } | { value: unknown }> {
  const end = Date.now() + startMs;
  for (;;) {
    const left = end - Date.now();
    const ready = await Promise.race([
      within(kernel.info, Math.min(RECONNECT_MS, Math.max(0, left))),
      aborted(signal)
    ]);
    if (ready === 'aborted' || !('timedOut' in ready) || left <= RECONNECT_MS) {
      return ready;
    }
    void kernel.reconnect().catch(() => undefined);
  }
}

/**
 * Starting, connecting to and shutting down a self-test's session, through the REST API
 * and a kernel connection of its own. Not JupyterLab's session manager: it disposes every
 * connection to a session missing from its latest list, and a list fetched just before the
 * self-test's second session started (while its first was shutting down) disposed that
 * session's kernel connection in a Galata run ("Kernel connection is disposed").
 */
export interface ISelfTestSessions {
  start(options: Session.ISessionOptions): Promise<Session.IModel>;
  connect(model: Kernel.IModel): Kernel.IKernelConnection;
  shutdown(sessionId: string): Promise<void>;
}

export function selfTestSessions(
  serverSettings: ServerConnection.ISettings
): ISelfTestSessions {
  return {
    start: options => SessionAPI.startSession(options, serverSettings),
    connect: model =>
      new KernelConnection({ model, serverSettings, handleComms: false }),
    shutdown: id => SessionAPI.shutdownSession(id, serverSettings)
  };
}

/**
 * Run `work` with a fresh kernel of `name`, started within `startMs`; the session is shut
 * down when `work` ends, however it ends.
 */
export async function withFreshKernel<T>(
  sessions: ISelfTestSessions,
  notebookPath: string,
  name: string,
  startMs: number,
  signal: AbortSignal,
  work: (kernel: Kernel.IKernelConnection) => Promise<T>
): Promise<T> {
  const started = sessions.start({
    path: sessionPath(notebookPath),
    type: 'atrium-self-test',
    name: 'Atrium self-test',
    kernel: { name }
  });
  let session: Session.IModel | null = null;
  let kernel: Kernel.IKernelConnection | null = null;
  try {
    const made = await Promise.race([
      within(started, startMs),
      aborted(signal)
    ]);
    if (made === 'aborted' || 'timedOut' in made) {
      // Shut it down should it come up after all.
      void started
        .then(late => sessions.shutdown(late.id))
        .catch(() => undefined);
      if (made === 'aborted') {
        throw new Cancelled();
      }
      throw new Error(`no kernel within ${Math.round(startMs / 1000)} s`);
    }
    session = made.value;
    if (!session.kernel) {
      throw new Error('the session has no kernel');
    }
    kernel = sessions.connect(session.kernel);
    const ready = await kernelInfo(kernel, startMs, signal);
    if (ready === 'aborted') {
      throw new Cancelled();
    }
    if ('timedOut' in ready) {
      throw new Error(
        `the kernel did not answer within ${Math.round(startMs / 1000)} s`
      );
    }
    return await work(kernel);
  } finally {
    kernel?.dispose();
    if (session) {
      await within(
        sessions.shutdown(session.id).catch(error => {
          console.warn('Atrium self-test: kernel shutdown failed', error);
        }),
        SHUTDOWN_MS
      );
    }
  }
}
