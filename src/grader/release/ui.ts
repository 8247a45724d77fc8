/**
 * Release, as an instructor clicks it: a dialog for the assignment's title, due date, late
 * policy and reveal policy, then the release (or, for a notebook released before, the
 * re-release of its assignment, named in the notebook's metadata: link.ts). Lint errors the
 * service refuses the release for are listed with their cell and reason; on success the
 * notebook keeps the assignment id and version, and is saved. Loaded on the first release.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import '../../../style/grader-tools.css';
import { AtriumRequestError, describeError } from '../../common/request';
import type { IFinding } from '../rules/analysis';
import type { JSONObject } from '../rules/data';
import {
  getAssignment,
  IAssignmentSummary,
  IReleased,
  IReleasePolicy,
  release,
  rerelease,
  Reveal
} from './api';
import {
  findingLines,
  formDefaults,
  IReleaseForm,
  releasePolicy,
  REVEALS
} from './form';
import { IReleaseLink, releasable, releaseOf, withRelease } from './link';

export const RELEASE_CLASS = 'jp-Atrium-Grader-release';

function revealLabel(reveal: Reveal, trans: TranslationBundle): string {
  switch (reveal) {
    case 'test-code-and-message':
      return trans.__('Test code and message');
    case 'message-only':
      return trans.__('Message only');
    case 'score-only':
      return trans.__('Score only');
  }
}

/** The dialog's form: the fields of IReleaseForm, and an error shown on one of them. */
export class ReleaseForm extends Widget {
  constructor(
    values: IReleaseForm,
    trans: TranslationBundle,
    note: string | null,
    error: { field: keyof IReleaseForm; error: string } | null
  ) {
    super({ node: document.createElement('form') });
    this.addClass(RELEASE_CLASS);
    const row = (
      label: string,
      input: HTMLElement,
      name: keyof IReleaseForm
    ) => {
      const wrap = document.createElement('label');
      wrap.className = `${RELEASE_CLASS}-row`;
      wrap.dataset.field = name;
      const text = document.createElement('span');
      text.textContent = label;
      wrap.append(text, input);
      if (error?.field === name) {
        const message = document.createElement('div');
        message.className = `${RELEASE_CLASS}-error`;
        message.setAttribute('role', 'alert');
        message.textContent = error.error;
        wrap.append(message);
        input.setAttribute('aria-invalid', 'true');
      }
      return wrap;
    };
    const input = (type: string, value: string, name: string) => {
      const element = document.createElement('input');
      element.type = type;
      element.value = value;
      element.name = name;
      element.className = 'jp-mod-styled';
      return element;
    };
    const select = (
      name: string,
      options: [string, string][],
      value: string
    ) => {
      const element = document.createElement('select');
      element.name = name;
      element.className = 'jp-mod-styled';
      for (const [optionValue, label] of options) {
        element.add(
          new Option(label, optionValue, false, optionValue === value)
        );
      }
      return element;
    };
    this._title = input('text', values.title, 'title');
    this._deadline = input('datetime-local', values.deadline, 'deadline');
    this._late = select(
      'late',
      [
        ['none', trans.__('Not accepted')],
        ['until', trans.__('Accepted until…')]
      ],
      values.late
    );
    this._lateUntil = input('datetime-local', values.lateUntil, 'lateUntil');
    this._penalty = input('number', values.latePenalty, 'latePenalty');
    this._penalty.min = '0';
    this._penalty.max = '100';
    this._penalty.step = 'any';
    this._reveal = select(
      'reveal',
      REVEALS.map(reveal => [reveal, revealLabel(reveal, trans)]),
      values.reveal
    );
    this._counted = select(
      'counted',
      [
        ['latest', trans.__('The latest graded submission')],
        ['best', trans.__('The best graded submission')]
      ],
      values.counted
    );
    if (note) {
      const paragraph = document.createElement('p');
      paragraph.className = `${RELEASE_CLASS}-note`;
      paragraph.textContent = note;
      this.node.append(paragraph);
    }
    const lateRows = [
      row(trans.__('Late work accepted until'), this._lateUntil, 'lateUntil'),
      row(
        trans.__('Late penalty (% of the score)'),
        this._penalty,
        'latePenalty'
      )
    ];
    const syncLate = () =>
      lateRows.forEach(item => (item.hidden = this._late.value !== 'until'));
    this._late.onchange = syncLate;
    syncLate();
    this.node.append(
      row(trans.__('Title'), this._title, 'title'),
      row(trans.__('Due'), this._deadline, 'deadline'),
      row(trans.__('Late work'), this._late, 'late'),
      ...lateRows,
      row(trans.__('Results show students'), this._reveal, 'reveal'),
      row(trans.__('The grade is'), this._counted, 'counted')
    );
    // Enter in a field is the dialog's default button, not a page reload.
    this.node.addEventListener('submit', event => event.preventDefault());
  }

  getValue(): IReleaseForm {
    return {
      title: this._title.value,
      deadline: this._deadline.value,
      late: this._late.value === 'until' ? 'until' : 'none',
      lateUntil: this._lateUntil.value,
      latePenalty: this._penalty.value,
      reveal: this._reveal.value as Reveal,
      counted: this._counted.value === 'best' ? 'best' : 'latest'
    };
  }

  private readonly _title: HTMLInputElement;
  private readonly _deadline: HTMLInputElement;
  private readonly _late: HTMLSelectElement;
  private readonly _lateUntil: HTMLInputElement;
  private readonly _penalty: HTMLInputElement;
  private readonly _reveal: HTMLSelectElement;
  private readonly _counted: HTMLSelectElement;
}

function listBody(intro: string, lines: string[]): Widget {
  const body = new Widget();
  body.addClass(`${RELEASE_CLASS}-refused`);
  const paragraph = document.createElement('p');
  paragraph.textContent = intro;
  const list = document.createElement('ul');
  list.replaceChildren(
    ...lines.map(line => {
      const item = document.createElement('li');
      item.textContent = line;
      return item;
    })
  );
  body.node.append(paragraph, list);
  return body;
}

async function currentOf(
  link: IReleaseLink | null,
  trans: TranslationBundle
): Promise<{ current: IAssignmentSummary | null; note: string | null }> {
  if (!link) {
    return { current: null, note: null };
  }
  try {
    const current = await getAssignment(link.id);
    return {
      current,
      note: trans.__(
        'This notebook was released as assignment %1 (now at version %2): releasing it again makes version %3 and keeps students’ work.',
        link.id,
        current.version,
        current.version + 1
      )
    };
  } catch (error) {
    if (error instanceof AtriumRequestError && error.status === 404) {
      return {
        current: null,
        note: trans.__(
          'Assignment %1, which this notebook was released as, no longer exists: releasing it makes a new assignment.',
          link.id
        )
      };
    }
    throw error;
  }
}

async function send(
  link: IReleaseLink | null,
  current: IAssignmentSummary | null,
  policy: IReleasePolicy,
  notebook: JSONObject,
  trans: TranslationBundle
): Promise<IReleased | null> {
  let version = link && current ? link.version : null;
  for (;;) {
    try {
      return version === null
        ? await release(policy, notebook)
        : await rerelease(link!.id, version, policy, notebook);
    } catch (error) {
      const body = (error as AtriumRequestError).body as
        { findings?: IFinding[]; current?: { version?: number } } | undefined;
      if (
        error instanceof AtriumRequestError &&
        error.reason === 'lint-errors'
      ) {
        await showDialog({
          title: trans.__('Not released: lint errors'),
          body: listBody(
            error.message,
            findingLines(body?.findings ?? [], trans)
          ),
          buttons: [Dialog.okButton({ label: trans.__('Close') })]
        });
        return null;
      }
      const newer = body?.current?.version;
      if (
        error instanceof AtriumRequestError &&
        error.status === 409 &&
        typeof newer === 'number'
      ) {
        const answer = await showDialog({
          title: trans.__('Released meanwhile'),
          body: trans.__(
            '%1 Replace version %2 with this notebook?',
            error.message,
            newer
          ),
          buttons: [
            Dialog.cancelButton({ label: trans.__('Cancel') }),
            Dialog.warnButton({ label: trans.__('Replace') })
          ]
        });
        if (!answer.button.accept) {
          return null;
        }
        version = newer;
        continue;
      }
      throw error;
    }
  }
}

/** Release `panel`'s notebook; resolves to the released assignment, or null. */
export async function releaseNotebook(
  panel: NotebookPanel,
  trans: TranslationBundle
): Promise<IReleased | null> {
  const model = panel.model;
  if (!model) {
    return null;
  }
  try {
    const link = releaseOf(model.metadata);
    const { current, note } = await currentOf(link, trans);
    let values = formDefaults(model.metadata, panel.context.path, current);
    let problem: { field: keyof IReleaseForm; error: string } | null = null;
    let policy: IReleasePolicy | null = null;
    while (!policy) {
      const answer = await showDialog({
        title: current
          ? trans.__('Re-release assignment')
          : trans.__('Release assignment'),
        body: new ReleaseForm(values, trans, note, problem),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({
            label: current ? trans.__('Re-release') : trans.__('Release')
          })
        ],
        focusNodeSelector: 'input'
      });
      if (!answer.button.accept || !answer.value) {
        return null;
      }
      values = answer.value;
      const result = releasePolicy(values, trans);
      if ('policy' in result) {
        policy = result.policy;
      } else {
        problem = result;
      }
    }
    const notebook = releasable(model.toJSON() as unknown as JSONObject);
    const released = await send(link, current, policy, notebook, trans);
    if (!released) {
      return null;
    }
    model.setMetadata(
      'atrium',
      withRelease(model.getMetadata('atrium'), {
        id: released.id,
        version: released.version
      })
    );
    await panel.context.save();
    const warnings = released.findings.filter(
      finding => finding.severity === 'warning'
    ).length;
    Notification.success(
      trans.__(
        'Released “%1”: assignment %2, version %3',
        released.title,
        released.id,
        released.version
      ) +
        (warnings
          ? ' · ' + trans._n('%1 lint warning', '%1 lint warnings', warnings)
          : ''),
      { autoClose: 10000 }
    );
    return released;
  } catch (error) {
    Notification.error(
      trans.__('Not released: %1', describeError(error, trans)),
      { autoClose: false }
    );
    return null;
  }
}
