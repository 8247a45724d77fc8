import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { describeError } from '../../common/request';
import { getSubmission, IGradeMark, setMark } from './api';
import { formatNumber, IColumn, IRow, parsePoints } from './model';

export interface IManualGradingProps {
  row: IRow;
  column: IColumn;
  rendermime: IRenderMimeRegistry | null;
  trans: TranslationBundle;
  /** A mark was saved or removed: the gradebook reads its totals again. */
  onSaved: () => void;
  onClose: () => void;
}

/**
 * A written answer, rendered as JupyterLab renders an untrusted Markdown cell (its
 * sanitiser removes scripts, event handlers and the like); code is shown as text.
 */
function Answer(props: {
  text: string;
  format: 'code' | 'markdown';
  rendermime: IRenderMimeRegistry | null;
}): JSX.Element {
  const { text, format, rendermime } = props;
  const host = React.useRef<HTMLDivElement>(null);
  const markdown = format === 'markdown' && rendermime !== null;
  React.useEffect(() => {
    const node = host.current;
    if (!markdown || !node || !rendermime) {
      return;
    }
    const renderer = rendermime.createRenderer('text/markdown');
    const model = rendermime.createModel({
      data: { 'text/markdown': text },
      trusted: false
    });
    node.replaceChildren(renderer.node);
    void renderer.renderModel(model);
    return () => renderer.dispose();
  }, [text, markdown, rendermime]);
  if (!markdown) {
    return <pre className="jp-Atrium-Gradebook-code">{text}</pre>;
  }
  return <div className="jp-Atrium-Gradebook-markdown" ref={host} />;
}

interface ILoaded {
  answer: string | null;
  /** The mark the instructor saw when the view opened (what a save replaces). */
  mark: IGradeMark | null;
}

/**
 * The grading view of one manual exercise of one student's counted submission: the
 * answer, the points (bounded by the exercise's) and a comment, saved as the
 * instructor's mark. A mark someone else saved meanwhile is not overwritten: the service
 * answers 409, the view says what is there now and lets the instructor save again.
 */
export function ManualGrading(props: IManualGradingProps): JSX.Element {
  const { row, column, rendermime, trans, onSaved, onClose } = props;
  const [loaded, setLoaded] = React.useState<ILoaded | null>(null);
  const [points, setPoints] = React.useState('');
  const [comment, setComment] = React.useState('');
  const [error, setError] = React.useState('');
  const [conflict, setConflict] = React.useState('');
  const [saving, setSaving] = React.useState(false);
  const pointsInput = React.useRef<HTMLInputElement>(null);
  const titleId = `jp-Atrium-Gradebook-grading-${row.submission}-${column.id}`;

  React.useEffect(() => {
    let current = true;
    setLoaded(null);
    setError('');
    setConflict('');
    getSubmission(row.submission).then(
      view => {
        if (!current) {
          return;
        }
        const mark = view.exercises?.[column.id]?.mark ?? null;
        setLoaded({ answer: view.answers?.[column.id] ?? null, mark });
        setPoints(mark ? formatNumber(mark.points) : '');
        setComment(mark?.comment ?? '');
      },
      reason => current && setError(describeError(reason, trans))
    );
    return () => {
      current = false;
    };
  }, [row.submission, column.id]);

  // Into the points once the answer is there (the input exists from then on).
  const ready = loaded !== null;
  React.useEffect(() => {
    if (ready) {
      pointsInput.current?.focus();
    }
  }, [ready]);

  const checked = parsePoints(points, column.points, trans);
  const invalid = points !== '' && 'error' in checked;

  const save = async (remove: boolean): Promise<void> => {
    if (!loaded) {
      return;
    }
    if (!remove && 'error' in checked) {
      setError(checked.error);
      pointsInput.current?.focus();
      return;
    }
    setSaving(true);
    setError('');
    try {
      const outcome = await setMark(
        row.submission,
        {
          exercise: column.id,
          points: remove || 'error' in checked ? null : checked.value,
          comment: remove ? '' : comment
        },
        loaded.mark?.etag ?? null
      );
      if (outcome.saved) {
        onSaved();
        return;
      }
      // Theirs is the mark now: a second Save replaces it knowingly.
      setLoaded({ ...loaded, mark: outcome.current });
      setConflict(
        outcome.message ||
          trans.__(
            'Another instructor changed this mark while you were grading. Save again to replace it with yours.'
          )
      );
    } catch (reason) {
      setError(describeError(reason, trans));
    } finally {
      setSaving(false);
    }
  };

  const keyDown = (event: React.KeyboardEvent): void => {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  };

  return (
    <section
      className="jp-Atrium-Gradebook-grading"
      aria-labelledby={titleId}
      onKeyDown={keyDown}
    >
      <h3 id={titleId}>{trans.__('%1 — %2', column.label, row.user)}</h3>
      {loaded === null && !error && (
        <p className="jp-Atrium-Gradebook-status">{trans.__('Loading…')}</p>
      )}
      {loaded !== null && (
        <>
          <h4>{trans.__('Answer')}</h4>
          {loaded.answer === null ? (
            <p className="jp-Atrium-Gradebook-status">
              {trans.__('The submission has no answer to this exercise.')}
            </p>
          ) : (
            <Answer
              text={loaded.answer}
              format={column.answerFormat}
              rendermime={rendermime}
            />
          )}
          {loaded.mark && (
            <p className="jp-Atrium-Gradebook-status">
              {trans.__(
                'Marked %1 by %2 on %3.',
                formatNumber(loaded.mark.points),
                loaded.mark.by,
                new Date(loaded.mark.at).toLocaleString()
              )}
            </p>
          )}
          <form
            className="jp-Atrium-Gradebook-form"
            onSubmit={event => {
              event.preventDefault();
              void save(false);
            }}
          >
            <label>
              {trans.__('Points (0 to %1)', formatNumber(column.points))}
              <input
                ref={pointsInput}
                className="jp-mod-styled"
                type="text"
                inputMode="decimal"
                value={points}
                aria-invalid={invalid}
                onChange={event => setPoints(event.target.value)}
              />
            </label>
            {invalid && (
              <p className="jp-Atrium-Gradebook-error" role="alert">
                {'error' in checked ? checked.error : ''}
              </p>
            )}
            <label>
              {trans.__('Comment for the student')}
              <textarea
                className="jp-mod-styled"
                rows={3}
                value={comment}
                onChange={event => setComment(event.target.value)}
              />
            </label>
            {conflict && (
              <p className="jp-Atrium-Gradebook-conflict" role="alert">
                {conflict}
              </p>
            )}
            {error && (
              <p className="jp-Atrium-Gradebook-error" role="alert">
                {error}
              </p>
            )}
            <div className="jp-Atrium-Gradebook-actions">
              <button
                type="submit"
                className="jp-mod-styled jp-mod-accept"
                disabled={saving || invalid}
              >
                {trans.__('Save')}
              </button>
              {loaded.mark && (
                <button
                  type="button"
                  className="jp-mod-styled jp-mod-warn"
                  disabled={saving}
                  onClick={() => void save(true)}
                >
                  {trans.__('Remove mark')}
                </button>
              )}
              <button
                type="button"
                className="jp-mod-styled jp-mod-reject"
                onClick={onClose}
              >
                {trans.__('Close')}
              </button>
            </div>
          </form>
        </>
      )}
      {loaded === null && error && (
        <p className="jp-Atrium-Gradebook-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
