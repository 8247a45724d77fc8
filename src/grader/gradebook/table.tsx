import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import type { IGradebook } from './api';
import {
  formatNumber,
  formatScore,
  IColumn,
  IRow,
  ITable,
  summarizeExercise
} from './model';

/** A date and time as the user's locale writes it. */
export function when(iso: string | null): string {
  return iso ? new Date(iso).toLocaleString() : '';
}

/**
 * Put the focus on the grade button of a student's exercise (after the grading view
 * closes). Found by its data attributes: user names may hold any character.
 */
export function focusCell(user: string, exercise: string): void {
  const buttons = document.querySelectorAll<HTMLButtonElement>(
    '.jp-Atrium-Gradebook-grade'
  );
  for (const button of buttons) {
    if (button.dataset.user === user && button.dataset.exercise === exercise) {
      button.focus();
      return;
    }
  }
}

function ScoreCell(props: {
  row: IRow;
  column: IColumn;
  index: number;
  trans: TranslationBundle;
  onOpen: (row: IRow, column: IColumn) => void;
}): JSX.Element {
  const { row, column, index, trans, onOpen } = props;
  const cell = row.cells[index];
  const text = formatScore(cell.score, cell.points);
  const classes = ['jp-Atrium-Gradebook-score'];
  if (cell.pending) {
    classes.push('jp-mod-pending');
  }
  if (cell.marked) {
    classes.push('jp-mod-marked');
  }
  return (
    <td className={classes.join(' ')}>
      {cell.gradable ? (
        <button
          type="button"
          data-user={row.user}
          data-exercise={column.id}
          className="jp-Atrium-Gradebook-grade"
          aria-label={trans.__(
            'Grade %1 for %2: %3',
            column.label,
            row.user,
            cell.pending ? trans.__('not graded yet') : text
          )}
          onClick={() => onOpen(row, column)}
        >
          {cell.pending ? trans.__('Grade') : text}
        </button>
      ) : (
        text
      )}
    </td>
  );
}

/**
 * Students × exercises: a real table (caption, column and row headers), the statistics
 * of each exercise in its footer. A manual exercise's score is a button that opens it.
 */
export function GradebookTable(props: {
  book: IGradebook;
  table: ITable;
  trans: TranslationBundle;
  onOpen: (row: IRow, column: IColumn) => void;
}): JSX.Element {
  const { book, table, trans, onOpen } = props;
  return (
    <div className="jp-Atrium-Gradebook-scroll">
      <table className="jp-Atrium-Gradebook-table">
        <caption>{trans.__('Grades of “%1”', book.assignment.title)}</caption>
        <thead>
          <tr>
            <th scope="col">{trans.__('Student')}</th>
            {table.columns.map(column => (
              <th scope="col" key={column.id}>
                {column.label}
                <span className="jp-Atrium-Gradebook-kind">
                  {column.manual ? trans.__('manual') : trans.__('auto')}
                </span>
              </th>
            ))}
            <th scope="col">{trans.__('Total')}</th>
            <th scope="col">{trans.__('Submitted')}</th>
            <th scope="col">{trans.__('Submissions')}</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.length === 0 && (
            <tr>
              <td colSpan={table.columns.length + 4}>
                {trans.__('No submissions yet.')}
              </td>
            </tr>
          )}
          {table.rows.map(row => (
            <tr key={row.user}>
              <th scope="row">{row.user}</th>
              {table.columns.map((column, index) => (
                <ScoreCell
                  key={column.id}
                  row={row}
                  column={column}
                  index={index}
                  trans={trans}
                  onOpen={onOpen}
                />
              ))}
              <td className="jp-Atrium-Gradebook-total">
                {formatScore(row.score, row.maxScore)}
                {row.penalty ? (
                  <span className="jp-Atrium-Gradebook-penalty">
                    {trans.__('−%1 late', formatNumber(row.penalty))}
                  </span>
                ) : null}
              </td>
              <td>
                {when(row.submittedAt)}
                {row.late && (
                  <span className="jp-Atrium-Gradebook-late">
                    {trans.__('late')}
                  </span>
                )}
                {row.state !== 'graded' && (
                  <span className="jp-Atrium-Gradebook-state">
                    {row.state === 'queued'
                      ? trans.__('queued')
                      : trans.__('failed')}
                  </span>
                )}
              </td>
              <td>{row.submissions}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          {(
            [
              ['passRate', trans.__('Full points')],
              ['median', trans.__('Median score')],
              ['attempts', trans.__('Median submissions to full points')],
              ['failure', trans.__('Most common failing test')]
            ] as const
          ).map(([key, label]) => (
            <tr key={key}>
              <th scope="row">{label}</th>
              {table.columns.map(column => {
                const summary = summarizeExercise(
                  book.statistics.exercises[column.id],
                  trans
                );
                return <td key={column.id}>{summary[key] || '–'}</td>;
              })}
              <td colSpan={3}>
                {key === 'median' && book.statistics.total.median !== null
                  ? formatNumber(book.statistics.total.median)
                  : ''}
              </td>
            </tr>
          ))}
        </tfoot>
      </table>
    </div>
  );
}
