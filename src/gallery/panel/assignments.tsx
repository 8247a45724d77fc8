/**
 * The gallery panel's Assignments section (issues 14 and 15): the assignments this user
 * can see, with due date, points and their status; Open makes (or reopens) the user's
 * copy, Submit and Result reach official grading, and instructors get the Gradebook.
 * Read each time the panel is shown; the grader's code for opening and submitting loads
 * on the first click.
 */
import * as React from 'react';

import { isFeatureOff } from '../../common/policy';
import { describeError } from '../../common/request';
import { getPolicy } from '../../grader/api';
import {
  IAssignment,
  ISubmission,
  listAssignments,
  listSubmissions
} from '../../grader/student/api';
import { SUBMITTED_EVENT } from '../../grader/student/events';
import { formatPoints } from '../../grader/student/result';
import {
  assignmentStatus,
  AssignmentStatus,
  copyPath,
  statusText
} from '../../grader/student/status';
import { IPanelEnv } from './env';

import '../../../style/gallery-assignments.css';

/** H3's command; the button shows only where it is registered. */
export const GRADEBOOK_COMMAND = 'atrium-grader:open-gradebook';

interface IRow {
  assignment: IAssignment;
  copy: boolean;
  submissions: ISubmission[];
  status: AssignmentStatus;
}

interface IState {
  rows: IRow[] | null;
  instructor: boolean;
  error: string | null;
}

async function load(env: IPanelEnv): Promise<IState> {
  const [assignments, policy, present] = await Promise.all([
    listAssignments(),
    getPolicy().catch(() => null),
    // Which copies exist only refines the status: without it, rows say "not opened".
    import('../../grader/student/open')
      .then(open => open.copiesPresent(env.app.serviceManager.contents))
      .catch(() => null)
  ]);
  const rows = await Promise.all(
    assignments.map(async assignment => {
      const copy = present?.has(copyPath(assignment.title)) ?? false;
      const submissions = await listSubmissions(assignment.id).catch(
        () => [] as ISubmission[]
      );
      return {
        assignment,
        copy,
        submissions,
        status: assignmentStatus(copy, submissions)
      };
    })
  );
  return { rows, instructor: policy?.instructor === true, error: null };
}

function dueText(env: IPanelEnv, assignment: IAssignment): string {
  const { trans } = env;
  if (!assignment.deadline) {
    return trans.__('No due date');
  }
  const due = new Date(assignment.deadline).toLocaleString();
  return new Date(assignment.deadline).getTime() < Date.now()
    ? trans.__('Was due %1', due)
    : trans.__('Due %1', due);
}

export function AssignmentsSection(props: {
  env: IPanelEnv;
  /** changes when the panel is shown: the list is read again */
  refreshKey: number;
}): JSX.Element | null {
  const { env, refreshKey } = props;
  const { trans } = env;
  const [expanded, setExpanded] = React.useState(true);
  const [state, setState] = React.useState<IState | null>(null);
  const [changes, setChanges] = React.useState(0);
  const [busy, setBusy] = React.useState<string | null>(null);
  const off = isFeatureOff('grader');

  React.useEffect(() => {
    const changed = () => setChanges(n => n + 1);
    window.addEventListener(SUBMITTED_EVENT, changed);
    return () => window.removeEventListener(SUBMITTED_EVENT, changed);
  }, []);

  React.useEffect(() => {
    if (off) {
      return;
    }
    let live = true;
    load(env).then(
      next => live && setState(next),
      error =>
        live &&
        setState({
          rows: null,
          instructor: false,
          error: describeError(error, trans)
        })
    );
    return () => {
      live = false;
    };
  }, [refreshKey, changes]);

  if (off || state === null || (state.rows !== null && !state.rows.length)) {
    return null;
  }
  const commands = env.app.commands;
  const gradebook = state.instructor && commands.hasCommand(GRADEBOOK_COMMAND);

  const act = (id: string, work: () => Promise<unknown>) => {
    setBusy(id);
    work()
      .catch(error =>
        setState(s => s && { ...s, error: describeError(error, trans) })
      )
      .finally(() => {
        setBusy(null);
        setChanges(n => n + 1);
      });
  };
  const open = (row: IRow) =>
    act(row.assignment.id, async () => {
      const { openAssignment } = await import('../../grader/student/open');
      await openAssignment(env.docManager, row.assignment, trans);
    });
  const submit = (row: IRow) =>
    act(row.assignment.id, async () => {
      const [{ submitAssignment }, { findCopy }] = await Promise.all([
        import('../../grader/student/submit'),
        import('../../grader/student/open')
      ]);
      const contents = env.app.serviceManager.contents;
      const path = await findCopy(contents, row.assignment);
      if (path === null) {
        throw new Error(
          trans.__(
            '%1 is not your copy of this assignment: open the assignment, answer in your copy, then submit.',
            copyPath(row.assignment.title)
          )
        );
      }
      const widget = env.docManager.findWidget(path);
      const context = widget && env.docManager.contextForWidget(widget);
      await submitAssignment({
        contents,
        path,
        save: context ? () => context.save() : undefined,
        assignmentId: row.assignment.id,
        assignment: row.assignment,
        trans
      });
    });
  const result = (row: IRow) =>
    act(row.assignment.id, async () => {
      const { showSubmission } = await import('../../grader/student/submit');
      await showSubmission(row.assignment, row.submissions[0], trans);
    });

  return (
    <section
      className="jp-Atrium-Gallery-assignments"
      aria-labelledby="jp-Atrium-Gallery-assignments-heading"
    >
      <h3
        className="jp-Atrium-Gallery-assignments-heading"
        id="jp-Atrium-Gallery-assignments-heading"
      >
        <button
          type="button"
          aria-expanded={expanded}
          aria-controls="jp-Atrium-Gallery-assignments-list"
          onClick={() => setExpanded(!expanded)}
        >
          <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>{' '}
          {trans.__('Assignments')}
          {state.rows && ` (${state.rows.length})`}
        </button>
      </h3>
      <div id="jp-Atrium-Gallery-assignments-list" hidden={!expanded}>
        {state.error && (
          <p className="jp-Atrium-Gallery-error" role="alert">
            {state.error}
          </p>
        )}
        <ul className="jp-Atrium-Gallery-assignments-list">
          {(state.rows ?? []).map(row => {
            const { assignment } = row;
            const disabled = busy === assignment.id;
            return (
              <li
                key={assignment.id}
                className="jp-Atrium-Gallery-assignment"
                data-assignment={assignment.id}
                data-status={row.status.kind}
              >
                <div className="jp-Atrium-Gallery-assignment-title">
                  {assignment.title}
                  {assignment.course && (
                    <span className="jp-Atrium-Gallery-assignment-course">
                      {' · '}
                      {assignment.course}
                    </span>
                  )}
                </div>
                <div className="jp-Atrium-Gallery-assignment-meta">
                  {dueText(env, assignment)}
                  {' · '}
                  {trans.__('%1 points', formatPoints(assignment.points))}
                </div>
                <div className="jp-Atrium-Gallery-assignment-status">
                  {statusText(row.status, trans)}
                </div>
                <div className="jp-Atrium-Gallery-assignment-actions">
                  <button
                    type="button"
                    className="jp-Button jp-mod-styled jp-mod-accept"
                    disabled={disabled}
                    onClick={() => open(row)}
                  >
                    {trans.__('Open')}
                  </button>
                  {row.copy && (
                    <button
                      type="button"
                      className="jp-Button jp-mod-styled"
                      disabled={disabled}
                      onClick={() => submit(row)}
                    >
                      {trans.__('Submit…')}
                    </button>
                  )}
                  {row.submissions.length > 0 && (
                    <button
                      type="button"
                      className="jp-Button jp-mod-styled"
                      disabled={disabled}
                      onClick={() => result(row)}
                    >
                      {trans.__('Result')}
                    </button>
                  )}
                  {gradebook && (
                    <button
                      type="button"
                      className="jp-Button jp-mod-styled"
                      onClick={() =>
                        void commands.execute(GRADEBOOK_COMMAND, {
                          assignment: assignment.id
                        })
                      }
                    >
                      {trans.__('Gradebook')}
                    </button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      </div>
    </section>
  );
}
