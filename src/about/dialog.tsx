import { Dialog, ReactWidget } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { BrandingFact, IAboutFacts, ServiceCheck } from './facts';
import { IPolicyRow, policyRows } from './policyRows';
import { PACKAGE_NAME, PluginState } from '../common/plugins';
import { parseTelemetryState, policySentence } from '../telemetry/state';

import '../../style/about.css';

function stateLabel(state: PluginState, trans: TranslationBundle): string {
  switch (state) {
    case 'active':
      return trans.__('enabled, active');
    case 'enabled':
      return trans.__('enabled, not yet activated');
    case 'disabled':
      return trans.__('disabled');
    case 'server-off':
      return trans.__('turned off on the server');
  }
}

function ServiceRow(props: {
  check: ServiceCheck;
  trans: TranslationBundle;
}): JSX.Element {
  const { check, trans } = props;
  if (!check.ok) {
    return (
      <dd className="jp-Atrium-About-error" data-atrium-fact="service">
        {trans.__('does not answer: %1', check.error)}
      </dd>
    );
  }
  const db = check.status.database;
  return (
    <dd data-atrium-fact="service">
      {trans.__(
        'answers in %1 ms · database %2, schema %3 (%4)',
        Math.round(check.elapsedMs),
        db.backend,
        db.revision ?? trans.__('none'),
        db.upToDate ? trans.__('up to date') : trans.__('needs upgrade')
      )}
    </dd>
  );
}

function BrandingRow(props: {
  fact: BrandingFact;
  trans: TranslationBundle;
}): JSX.Element {
  const { fact, trans } = props;
  let text: string;
  let error = false;
  switch (fact.state) {
    case 'not-configured':
      text = trans.__('not configured');
      break;
    case 'unreadable':
      text = trans.__(
        'the server published branding this page cannot read; reload the page or reinstall Atrium'
      );
      error = true;
      break;
    case 'error':
      text = fact.error;
      error = true;
      break;
    case 'configured':
      text = fact.applied
        ? fact.name
        : trans.__('%1 (not applied: the Branding plugin is off)', fact.name);
      break;
  }
  const warnings = 'warnings' in fact ? fact.warnings : [];
  return (
    <dd data-atrium-fact="branding">
      <span
        className={error ? 'jp-Atrium-About-error' : undefined}
        data-atrium-fact="branding-state"
      >
        {text}
      </span>
      {warnings.length > 0 && (
        <ul
          className="jp-Atrium-Branding-warnings"
          data-atrium-fact="branding-warnings"
        >
          {warnings.map((warning, index) => (
            <li key={index}>{warning}</li>
          ))}
        </ul>
      )}
    </dd>
  );
}

/**
 * The server policy, one setting a row, each section's name once beside its settings.
 */
function PolicyTable(props: {
  rows: IPolicyRow[];
  trans: TranslationBundle;
}): JSX.Element {
  const { rows, trans } = props;
  const sections = new Map<string, IPolicyRow[]>();
  for (const row of rows) {
    sections.set(row.section, [...(sections.get(row.section) ?? []), row]);
  }
  return (
    <table className="jp-Atrium-About-policy" data-atrium-fact="policy">
      <thead>
        <tr>
          <th scope="col">{trans.__('Section')}</th>
          <th scope="col">{trans.__('Setting')}</th>
          <th scope="col">{trans.__('Value')}</th>
        </tr>
      </thead>
      {[...sections].map(([section, settings]) => (
        <tbody key={section} data-atrium-policy-section={section}>
          {settings.map((row, index) => (
            <tr key={row.setting} data-atrium-policy-setting={row.setting}>
              {index === 0 && (
                <th scope="rowgroup" rowSpan={settings.length}>
                  {section}
                </th>
              )}
              <td>{row.setting}</td>
              <td>{row.value}</td>
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}

function telemetryText(facts: IAboutFacts, trans: TranslationBundle): string {
  const state = parseTelemetryState(facts.policy?.telemetry);
  if (!state) {
    return trans.__('not offered by this server');
  }
  const plugin = facts.plugins.find(p => p.id === `${PACKAGE_NAME}:telemetry`);
  const sentence = policySentence(state, trans);
  return state.enabled && plugin?.state !== 'active'
    ? trans.__('%1 (this page does not report: the plugin is off)', sentence)
    : sentence;
}

/**
 * The facts as a definition list and a plugin table.
 */
export function AboutFacts(props: {
  facts: IAboutFacts;
  trans: TranslationBundle;
}): JSX.Element {
  const { facts, trans } = props;
  const policy = facts.policy ? policyRows(facts.policy, trans) : [];
  return (
    <div className="jp-Atrium-About">
      <dl className="jp-Atrium-About-facts">
        <dt>{trans.__('Atrium version')}</dt>
        <dd data-atrium-fact="version">
          {facts.frontendVersion}
          {facts.versionMismatch && (
            <span className="jp-Atrium-About-error" role="alert">
              {' '}
              {trans.__(
                '— the server runs %1; reload the page or reinstall Atrium',
                facts.serverVersion ?? ''
              )}
            </span>
          )}
        </dd>
        <dt>{trans.__('Service mode')}</dt>
        <dd data-atrium-fact="mode">
          {facts.policy?.service.mode ?? trans.__('unknown')}
        </dd>
        <dt>{trans.__('Service')}</dt>
        <ServiceRow check={facts.service} trans={trans} />
        <dt>{trans.__('Branding')}</dt>
        <BrandingRow fact={facts.branding} trans={trans} />
        <dt>{trans.__('Execution reports')}</dt>
        <dd data-atrium-fact="telemetry">{telemetryText(facts, trans)}</dd>
      </dl>
      <h3>{trans.__('Plugins')}</h3>
      <table className="jp-Atrium-About-plugins">
        <thead>
          <tr>
            <th>{trans.__('Plugin')}</th>
            <th>{trans.__('Id')}</th>
            <th>{trans.__('State')}</th>
          </tr>
        </thead>
        <tbody>
          {facts.plugins.map(p => (
            <tr key={p.id} data-atrium-plugin={p.id} data-state={p.state}>
              <td>{trans.__(p.label)}</td>
              <td>
                <code>{p.id}</code>
              </td>
              <td>
                {stateLabel(p.state, trans)}
                {p.locked ? ` · ${trans.__('locked')}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>{trans.__('Server policy')}</h3>
      {policy.length ? (
        <PolicyTable rows={policy} trans={trans} />
      ) : (
        <p className="jp-Atrium-About-error">
          {trans.__('The server published no Atrium policy.')}
        </p>
      )}
    </div>
  );
}

function AboutLoader(props: {
  facts: Promise<IAboutFacts>;
  trans: TranslationBundle;
}): JSX.Element {
  const [facts, setFacts] = React.useState<IAboutFacts | null>(null);
  React.useEffect(() => {
    let live = true;
    void props.facts.then(value => {
      if (live) {
        setFacts(value);
      }
    });
    return () => {
      live = false;
    };
  }, [props.facts]);
  if (!facts) {
    return (
      <p className="jp-Atrium-About-loading" aria-busy="true">
        {props.trans.__('Asking the server…')}
      </p>
    );
  }
  return <AboutFacts facts={facts} trans={props.trans} />;
}

/**
 * Show the About dialog at once; the facts fill in when the server has answered.
 */
export async function showAboutDialog(
  facts: Promise<IAboutFacts>,
  trans: TranslationBundle
): Promise<void> {
  const body = ReactWidget.create(<AboutLoader facts={facts} trans={trans} />);
  body.addClass('jp-Atrium-About-body');
  const dialog = new Dialog({
    title: trans.__('About Atrium'),
    body,
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
  // Taller than JupyterLab's 500 px dialogs, so the policy table is not cut off.
  dialog.addClass('jp-Atrium-About-dialog');
  await dialog.launch();
}
