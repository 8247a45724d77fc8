import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { StripReport } from '../rules';
import { ISecretFinding } from '../secrets';
import {
  formatBytes,
  IPublishFields,
  MAX_DESCRIPTION,
  MAX_TITLE,
  removalLines,
  validateFields
} from './fields';
import { FormBody, FormStatus, useFormState } from './form';

/**
 * What is about to leave the user's server: the strip report, likely secrets in the
 * code, and the size against the gallery's limit.
 */
export interface IOutgoing {
  report: StripReport;
  secrets: ISecretFinding[];
  sizeBytes: number;
  maxBytes: number;
}

/**
 * Problems with what would be sent that the user must resolve first.
 */
export function outgoingProblem(
  outgoing: IOutgoing,
  acknowledged: boolean,
  trans: TranslationBundle
): string | null {
  if (outgoing.maxBytes > 0 && outgoing.sizeBytes > outgoing.maxBytes) {
    return trans.__(
      'The notebook is %1 after stripping; this gallery accepts at most %2.',
      formatBytes(outgoing.sizeBytes),
      formatBytes(outgoing.maxBytes)
    );
  }
  if (outgoing.secrets.length > 0 && !acknowledged) {
    return trans.__(
      'Check the likely secrets listed below: remove them from the notebook, or confirm that they are not secrets.'
    );
  }
  return null;
}

function OutgoingView(props: {
  outgoing: IOutgoing;
  acknowledged: boolean;
  onAcknowledge: (value: boolean) => void;
  trans: TranslationBundle;
}): JSX.Element {
  const { outgoing, trans } = props;
  const removed = removalLines(outgoing.report, trans);
  return (
    <>
      <section
        className="jp-Atrium-Gallery-removed"
        data-testid="atrium-gallery-removed"
      >
        <h3>{trans.__('Removed before upload')}</h3>
        {removed.length === 0 ? (
          <p>{trans.__('Nothing: the notebook has no outputs to remove.')}</p>
        ) : (
          <ul>
            {removed.map(line => (
              <li key={line.kind} data-kind={line.kind}>
                {line.text}
              </li>
            ))}
          </ul>
        )}
        <p className="jp-Atrium-Gallery-size">
          {outgoing.maxBytes > 0
            ? trans.__(
                'Size after stripping: %1 (limit %2).',
                formatBytes(outgoing.sizeBytes),
                formatBytes(outgoing.maxBytes)
              )
            : trans.__(
                'Size after stripping: %1.',
                formatBytes(outgoing.sizeBytes)
              )}
        </p>
      </section>
      {outgoing.secrets.length > 0 && (
        <section
          className="jp-Atrium-Gallery-secrets"
          data-testid="atrium-gallery-secrets"
          role="alert"
        >
          <h3>
            {trans._n(
              '%1 likely secret in the code',
              '%1 likely secrets in the code',
              outgoing.secrets.length
            )}
          </h3>
          <ul>
            {outgoing.secrets.map((finding, index) => (
              <li key={index}>
                <span className="jp-Atrium-Gallery-secretWhere">
                  {trans.__(
                    'Cell %1, line %2: %3',
                    finding.cell + 1,
                    finding.line,
                    finding.label
                  )}
                </span>
                <code className="jp-Atrium-Gallery-secretExcerpt">
                  {finding.excerpt}
                </code>
              </li>
            ))}
          </ul>
          <label className="jp-Atrium-Gallery-acknowledge">
            <input
              type="checkbox"
              name="acknowledged"
              checked={props.acknowledged}
              onChange={event => props.onAcknowledge(event.target.checked)}
            />{' '}
            {trans.__('I checked these: they are not secrets. Upload anyway.')}
          </label>
        </section>
      )}
    </>
  );
}

function PublishView(props: { body: PublishBody }): JSX.Element {
  const { body } = props;
  const trans = body.trans;
  const state = useFormState(body);
  const [fields, setFields] = React.useState(body.value);
  const change = (patch: Partial<IPublishFields>) => {
    const next = { ...fields, ...patch };
    setFields(next);
    body.onChange(next);
  };
  const disabled = state.busy;
  return (
    <div className="jp-Atrium-Gallery-publishForm">
      {body.intro && <p className="jp-Atrium-Gallery-intro">{body.intro}</p>}
      <FormStatus state={state} busyText={trans.__('Publishing…')} />
      <label className="jp-Atrium-Gallery-field">
        <span>{trans.__('Title')}</span>
        <input
          className="jp-mod-styled"
          name="title"
          data-testid="atrium-gallery-title"
          aria-required="true"
          maxLength={MAX_TITLE}
          value={fields.title}
          disabled={disabled}
          onChange={event => change({ title: event.target.value })}
        />
      </label>
      <label className="jp-Atrium-Gallery-field">
        <span>{trans.__('Description')}</span>
        <textarea
          className="jp-mod-styled"
          name="description"
          data-testid="atrium-gallery-description"
          rows={4}
          maxLength={MAX_DESCRIPTION}
          value={fields.description}
          disabled={disabled}
          onChange={event => change({ description: event.target.value })}
        />
      </label>
      <label className="jp-Atrium-Gallery-field">
        <span>{trans.__('Tags (separated by commas)')}</span>
        <input
          className="jp-mod-styled"
          name="tags"
          data-testid="atrium-gallery-tags"
          value={fields.tags}
          disabled={disabled}
          placeholder={trans.__('e.g. statistics, pandas')}
          onChange={event => change({ tags: event.target.value })}
        />
      </label>
      <label className="jp-Atrium-Gallery-field">
        <span>{trans.__('Visibility')}</span>
        <select
          className="jp-mod-styled"
          name="visibility"
          data-testid="atrium-gallery-visibility"
          value={fields.visibility}
          disabled={disabled}
          onChange={event =>
            change({
              visibility:
                event.target.value === 'private' ? 'private' : 'public'
            })
          }
        >
          <option value="public">
            {trans.__('Public: everyone can find it')}
          </option>
          <option value="private">
            {trans.__('Private: only you (and administrators)')}
          </option>
        </select>
      </label>
      <OutgoingView
        outgoing={body.outgoing}
        acknowledged={fields.acknowledged}
        onAcknowledge={acknowledged => change({ acknowledged })}
        trans={trans}
      />
    </div>
  );
}

/**
 * The publish (and fork) dialog body.
 */
export class PublishBody extends FormBody<IPublishFields> {
  constructor(
    initial: IPublishFields,
    readonly outgoing: IOutgoing,
    readonly trans: TranslationBundle,
    readonly intro: string = ''
  ) {
    super(initial);
    this.addClass('jp-Atrium-Gallery-publishBody');
  }

  validate(value: IPublishFields): string | null {
    return (
      validateFields(value, this.trans) ??
      outgoingProblem(this.outgoing, value.acknowledged, this.trans)
    );
  }

  protected render(): JSX.Element {
    return <PublishView body={this} />;
  }
}

/**
 * The fields of an update (change note) or a change request (comment).
 */
export interface IMessageFields {
  text: string;
  acknowledged: boolean;
}

function MessageView(props: { body: MessageBody }): JSX.Element {
  const { body } = props;
  const trans = body.trans;
  const state = useFormState(body);
  const [fields, setFields] = React.useState(body.value);
  const change = (patch: Partial<IMessageFields>) => {
    const next = { ...fields, ...patch };
    setFields(next);
    body.onChange(next);
  };
  return (
    <div className="jp-Atrium-Gallery-messageForm">
      {body.intro && <p className="jp-Atrium-Gallery-intro">{body.intro}</p>}
      <FormStatus state={state} busyText={body.busyText} />
      <label className="jp-Atrium-Gallery-field">
        <span>{body.label}</span>
        <textarea
          className="jp-mod-styled"
          name="message"
          data-testid="atrium-gallery-message"
          rows={4}
          aria-required={body.required}
          maxLength={MAX_DESCRIPTION}
          value={fields.text}
          disabled={state.busy}
          onChange={event => change({ text: event.target.value })}
        />
      </label>
      <OutgoingView
        outgoing={body.outgoing}
        acknowledged={fields.acknowledged}
        onAcknowledge={acknowledged => change({ acknowledged })}
        trans={trans}
      />
    </div>
  );
}

/**
 * The body of the update dialog (change note) and the change-request dialog (comment).
 */
export class MessageBody extends FormBody<IMessageFields> {
  constructor(
    readonly outgoing: IOutgoing,
    readonly trans: TranslationBundle,
    readonly options: {
      intro: string;
      label: string;
      busyText: string;
      required: boolean;
      initial?: string;
    }
  ) {
    super({ text: options.initial ?? '', acknowledged: false });
    this.addClass('jp-Atrium-Gallery-messageBody');
  }

  get intro(): string {
    return this.options.intro;
  }

  get label(): string {
    return this.options.label;
  }

  get busyText(): string {
    return this.options.busyText;
  }

  get required(): boolean {
    return this.options.required;
  }

  validate(value: IMessageFields): string | null {
    if (this.required && !value.text.trim()) {
      return this.trans.__('Please write a comment for the owner.');
    }
    return outgoingProblem(this.outgoing, value.acknowledged, this.trans);
  }

  protected render(): JSX.Element {
    return <MessageView body={this} />;
  }
}
