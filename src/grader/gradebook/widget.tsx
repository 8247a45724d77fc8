import {
  Dialog,
  MainAreaWidget,
  Notification,
  ReactWidget,
  showDialog
} from '@jupyterlab/apputils';
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import * as React from 'react';

import { describeError } from '../../common/request';
import { GRADEBOOK_ID_PREFIX } from './command';
import { getGradebook, getGradebookCsv, IGradebook, regrade } from './api';
import { saveBlob } from './download';
import { ManualGrading } from './manual';
import { exportName, formatNumber, tableOf, waiting } from './model';
import { focusCell, GradebookTable, when } from './table';

import '../../../style/grader-gradebook.css';

/** How often the gradebook is read again while a regrade is under way, and for how long. */
const REGRADE_POLL_MS = 2000;
const REGRADE_POLL_LIMIT_MS = 10 * 60 * 1000;

interface IProps {
  assignment: string;
  trans: TranslationBundle;
  rendermime: IRenderMimeRegistry | null;
  onTitle: (title: string) => void;
}

interface ISelected {
  user: string;
  exercise: string;
}

function Gradebook(props: IProps): JSX.Element {
  const { assignment, trans, rendermime, onTitle } = props;
  const [book, setBook] = React.useState<IGradebook | null>(null);
  const [error, setError] = React.useState('');
  const [busy, setBusy] = React.useState(false);
  const [selected, setSelected] = React.useState<ISelected | null>(null);
  const [regrading, setRegrading] = React.useState<number | null>(null);
  const mounted = React.useRef(true);
  React.useEffect(
    () => () => {
      mounted.current = false;
    },
    []
  );

  const load = React.useCallback(async (): Promise<IGradebook | null> => {
    setBusy(true);
    try {
      const fresh = await getGradebook(assignment);
      if (mounted.current) {
        setBook(fresh);
        setError('');
        onTitle(fresh.assignment.title);
      }
      return fresh;
    } catch (reason) {
      if (mounted.current) {
        setError(describeError(reason, trans));
      }
      return null;
    } finally {
      if (mounted.current) {
        setBusy(false);
      }
    }
  }, [assignment]);

  React.useEffect(() => {
    void load();
  }, [load]);

  const table = React.useMemo(() => (book ? tableOf(book) : null), [book]);

  const exportCsv = async (): Promise<void> => {
    try {
      saveBlob(
        await getGradebookCsv(assignment),
        exportName(assignment, 'csv')
      );
    } catch (reason) {
      Notification.error(describeError(reason, trans), { autoClose: 5000 });
    }
  };

  const exportJson = async (): Promise<void> => {
    const fresh = await load();
    if (fresh) {
      const text = JSON.stringify(fresh, null, 2) + '\n';
      saveBlob(
        new Blob([text], { type: 'application/json' }),
        exportName(assignment, 'json')
      );
    }
  };

  const startRegrade = async (): Promise<void> => {
    if (!book) {
      return;
    }
    const answer = await showDialog({
      title: trans.__('Regrade “%1”?', book.assignment.title),
      body: trans.__(
        "Each student's latest submission is graded again against the latest version of the assignment. Grades stay as they are until the new ones are recorded; instructors' marks are kept."
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Regrade') })
      ]
    });
    if (!answer.button.accept) {
      return;
    }
    let counts: { queued: number; unchanged: number };
    try {
      counts = await regrade(assignment);
    } catch (reason) {
      Notification.error(describeError(reason, trans), { autoClose: 5000 });
      return;
    }
    if (counts.queued + counts.unchanged === 0) {
      // One notification, not one updated at once: JupyterLab makes a toast after a
      // promise, so an update in the same tick finds no toast and the first message
      // stayed on screen, spinning (the notification list had the last one).
      Notification.success(
        trans.__(
          'Regrade of “%1” done: no submission to grade again.',
          book.assignment.title
        ),
        { autoClose: 5000 }
      );
      return;
    }
    const note = Notification.emit(
      trans.__(
        'Regrade of “%1”: %2 submissions queued, %3 already waiting.',
        book.assignment.title,
        counts.queued,
        counts.unchanged
      ),
      'in-progress',
      { autoClose: false }
    );
    // Read the gradebook again until nothing waits (or the limit is reached).
    const deadline = Date.now() + REGRADE_POLL_LIMIT_MS;
    let left = counts.queued + counts.unchanged;
    setRegrading(left);
    while (left > 0 && Date.now() < deadline && mounted.current) {
      await new Promise(resolve => setTimeout(resolve, REGRADE_POLL_MS));
      const fresh = await load();
      left = fresh ? waiting(fresh) : left;
      if (mounted.current) {
        setRegrading(left);
      }
    }
    if (mounted.current) {
      setRegrading(null);
    }
    Notification.update({
      id: note,
      message:
        left === 0
          ? trans.__('Regrade of “%1” done.', book.assignment.title)
          : trans.__(
              'Regrade of “%1”: %2 submissions still waiting for a grading worker.',
              book.assignment.title,
              left
            ),
      type: left === 0 ? 'success' : 'warning',
      autoClose: 5000
    });
  };

  const selectedRow =
    table && selected
      ? (table.rows.find(row => row.user === selected.user) ?? null)
      : null;
  const selectedColumn =
    table && selected
      ? (table.columns.find(column => column.id === selected.exercise) ?? null)
      : null;

  const closeGrading = (): void => {
    const back = selected;
    setSelected(null);
    if (back) {
      // Back to the cell the view was opened from (after React has re-rendered).
      requestAnimationFrame(() => focusCell(back.user, back.exercise));
    }
  };

  return (
    <div className="jp-Atrium-Gradebook-body" aria-busy={busy}>
      <div
        className="jp-Atrium-Gradebook-toolbar"
        role="toolbar"
        aria-label={trans.__('Gradebook')}
      >
        <button
          type="button"
          className="jp-mod-styled"
          onClick={() => void load()}
          disabled={busy}
          title={trans.__('Read the gradebook again')}
        >
          <refreshIcon.react tag="span" className="jp-Atrium-Gradebook-icon" />
          {trans.__('Refresh')}
        </button>
        <button
          type="button"
          className="jp-mod-styled"
          onClick={() => void exportCsv()}
        >
          {trans.__('Export CSV')}
        </button>
        <button
          type="button"
          className="jp-mod-styled"
          onClick={() => void exportJson()}
        >
          {trans.__('Export JSON')}
        </button>
        <button
          type="button"
          className="jp-mod-styled"
          onClick={() => void startRegrade()}
          disabled={!book || regrading !== null}
        >
          {trans.__('Regrade…')}
        </button>
        {regrading !== null && (
          <span className="jp-Atrium-Gradebook-status" role="status">
            {trans.__('Regrading: %1 waiting', regrading)}
          </span>
        )}
      </div>
      {error && (
        <p className="jp-Atrium-Gradebook-error" role="alert">
          {error}
        </p>
      )}
      {book && table && (
        <>
          <p className="jp-Atrium-Gradebook-summary">
            {trans.__(
              '%1 students · %2 points · median submissions per student: %3',
              table.rows.length,
              formatNumber(book.assignment.points),
              book.statistics.medianSubmissions === null
                ? '–'
                : formatNumber(book.statistics.medianSubmissions)
            )}
            {book.assignment.deadline &&
              ' · ' + trans.__('deadline %1', when(book.assignment.deadline))}
          </p>
          <GradebookTable
            book={book}
            table={table}
            trans={trans}
            onOpen={(row, column) =>
              setSelected({ user: row.user, exercise: column.id })
            }
          />
          {selectedRow && selectedColumn && (
            <ManualGrading
              key={`${selectedRow.submission}/${selectedColumn.id}`}
              row={selectedRow}
              column={selectedColumn}
              rendermime={rendermime}
              trans={trans}
              onClose={closeGrading}
              onSaved={() => {
                void load().then(closeGrading);
              }}
            />
          )}
        </>
      )}
    </div>
  );
}

class GradebookContent extends ReactWidget {
  constructor(private readonly _props: IProps) {
    super();
    this.addClass('jp-Atrium-Gradebook');
  }

  protected render(): JSX.Element {
    return <Gradebook {...this._props} />;
  }
}

/** A main-area gradebook of one assignment. */
export function createGradebook(
  assignment: string,
  trans: TranslationBundle,
  rendermime: IRenderMimeRegistry | null
): MainAreaWidget {
  let widget: MainAreaWidget | null = null;
  const content = new GradebookContent({
    assignment,
    trans,
    rendermime,
    onTitle: title => {
      if (widget) {
        widget.title.label = trans.__('Gradebook: %1', title);
      }
    }
  });
  widget = new MainAreaWidget({ content });
  widget.id = `${GRADEBOOK_ID_PREFIX}${assignment}`;
  widget.title.label = trans.__('Gradebook');
  widget.title.closable = true;
  return widget;
}
