import { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';

import { getCellHealth } from '../api';
import { healthReasonText } from '../healthReason';
import {
  HealthLabel,
  ICellHealth,
  ICellHealthReply,
  INotebookHealth
} from '../types';
import { ErrorMessage, Loading } from './common';

/*
 * Execution health in the gallery panel: the badge on every result and in the detail view,
 * the per-cell chart of the detail view and the search filter's choices. Colours come from
 * JupyterLab's theme variables (gallery-panel.css), and every colour has a word and a mark
 * beside it, so nothing depends on telling colours apart.
 */

export function healthLabelText(
  label: HealthLabel,
  trans: TranslationBundle
): string {
  switch (label) {
    case 'healthy':
      return trans.__('healthy');
    case 'unhealthy':
      return trans.__('unhealthy');
    default:
      return trans.__('unknown');
  }
}

/** A mark per label, so the badge reads without colour. */
const MARK: Record<HealthLabel, string> = {
  healthy: '✓',
  unhealthy: '✕',
  unknown: '?'
};

/**
 * "healthy" / "unhealthy" / "unknown" with its colour and mark; the accessible name and the
 * tooltip give the reason.
 */
export function HealthBadge(props: {
  health: INotebookHealth | null | undefined;
  trans: TranslationBundle;
}): JSX.Element | null {
  const { health, trans } = props;
  if (!health) {
    return null;
  }
  const label = healthLabelText(health.label, trans);
  const name = trans.__(
    'Health: %1 — %2',
    label,
    healthReasonText(health, trans)
  );
  return (
    <span
      className={`jp-Atrium-Gallery-health jp-Atrium-Gallery-health-${health.label}`}
      data-health={health.label}
      role="img"
      aria-label={name}
      title={name}
    >
      <span className="jp-Atrium-Gallery-healthMark" aria-hidden="true">
        {MARK[health.label]}
      </span>
      <span className="jp-Atrium-Gallery-healthText" aria-hidden="true">
        {label}
      </span>
    </span>
  );
}

/**
 * The choices of the search's health filter: the value is the query's label list.
 */
export const HEALTH_FILTERS: readonly (readonly HealthLabel[])[] = [
  [],
  ['healthy'],
  ['healthy', 'unknown'],
  ['unknown'],
  ['unhealthy']
];

export function healthFilterText(
  labels: readonly HealthLabel[],
  trans: TranslationBundle
): string {
  switch (labels.join(',')) {
    case '':
      return trans.__('Any health');
    case 'healthy':
      return trans.__('Healthy');
    case 'healthy,unknown':
      return trans.__('Healthy or unknown');
    case 'unknown':
      return trans.__('Unknown');
    default:
      return trans.__('Unhealthy');
  }
}

/**
 * The filter's select: one of `HEALTH_FILTERS`.
 */
export function HealthFilter(props: {
  value: readonly HealthLabel[];
  trans: TranslationBundle;
  onChange: (labels: HealthLabel[]) => void;
}): JSX.Element {
  const { value, trans, onChange } = props;
  return (
    <label className="jp-Atrium-Gallery-filterField">
      <span>{trans.__('Health')}</span>
      <select
        className="jp-Atrium-Gallery-filterHealth jp-mod-styled"
        value={value.join(',')}
        onChange={event => {
          const chosen = HEALTH_FILTERS.find(
            labels => labels.join(',') === event.target.value
          );
          onChange([...(chosen ?? [])]);
        }}
      >
        {HEALTH_FILTERS.map(labels => (
          <option key={labels.join(',')} value={labels.join(',')}>
            {healthFilterText(labels, trans)}
          </option>
        ))}
      </select>
    </label>
  );
}

const BAR_WIDTH = 14;
const GAP = 4;
const HEIGHT = 60;
/** The sliver drawn for a cell without runs, so it still has a place in the chart. */
const EMPTY = 3;

function cellSentence(cell: ICellHealth, trans: TranslationBundle): string {
  const runs = cell.passes + cell.failures;
  const label = healthLabelText(cell.label, trans);
  if (runs === 0) {
    return trans.__('Cell %1: %2, no counted runs', cell.index + 1, label);
  }
  return trans.__(
    'Cell %1: %2, %3 of %4 runs passed',
    cell.index + 1,
    label,
    cell.passes,
    runs
  );
}

/**
 * One bar per code cell, its height the cell's pass rate, its colour the cell's label.
 * The SVG has a title and a description; the table below it holds the same figures.
 */
export function CellHealthChart(props: {
  cells: ICellHealth[];
  trans: TranslationBundle;
  idPrefix: string;
}): JSX.Element {
  const { cells, trans, idPrefix } = props;
  if (cells.length === 0) {
    return (
      <p className="jp-Atrium-Gallery-healthEmpty">
        {trans.__('This version has no code cells.')}
      </p>
    );
  }
  // A chart of slivers only says "nothing yet" less clearly than a sentence.
  if (cells.every(cell => cell.passes + cell.failures + cell.expected === 0)) {
    return (
      <p className="jp-Atrium-Gallery-healthEmpty">
        {trans.__(
          'No runs of this version have been reported yet: the chart appears once its cells have been run.'
        )}
      </p>
    );
  }
  const counts = { healthy: 0, unhealthy: 0, unknown: 0 };
  cells.forEach(cell => (counts[cell.label] += 1));
  const titleId = `${idPrefix}-title`;
  const descId = `${idPrefix}-desc`;
  const width = cells.length * (BAR_WIDTH + GAP) + GAP;
  return (
    <figure className="jp-Atrium-Gallery-cellChart">
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        width={width}
        height={HEIGHT + 2}
        viewBox={`0 0 ${width} ${HEIGHT + 2}`}
      >
        <title id={titleId}>{trans.__('Pass rate per code cell')}</title>
        <desc id={descId}>
          {trans.__(
            '%1 cells: %2 healthy, %3 unhealthy, %4 unknown.',
            cells.length,
            counts.healthy,
            counts.unhealthy,
            counts.unknown
          )}
        </desc>
        <line
          className="jp-Atrium-Gallery-cellChartAxis"
          x1={0}
          x2={width}
          y1={HEIGHT + 1}
          y2={HEIGHT + 1}
        />
        {cells.map(cell => {
          const height =
            cell.passRate === null
              ? EMPTY
              : Math.max(EMPTY, Math.round(cell.passRate * HEIGHT));
          return (
            <rect
              key={cell.cellId}
              className={`jp-Atrium-Gallery-cellBar jp-Atrium-Gallery-health-${cell.label}`}
              data-cell={cell.cellId}
              data-health={cell.label}
              x={GAP + cell.index * (BAR_WIDTH + GAP)}
              y={HEIGHT + 1 - height}
              width={BAR_WIDTH}
              height={height}
            >
              <title>{cellSentence(cell, trans)}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption>
        <details className="jp-Atrium-Gallery-cellTable">
          <summary>{trans.__('Figures per cell')}</summary>
          <table>
            <thead>
              <tr>
                <th scope="col">{trans.__('Cell')}</th>
                <th scope="col">{trans.__('Health')}</th>
                <th scope="col">{trans.__('Passed')}</th>
                <th scope="col">{trans.__('Failed')}</th>
                <th scope="col">{trans.__('Expected failures')}</th>
                <th scope="col">{trans.__('Mean time')}</th>
              </tr>
            </thead>
            <tbody>
              {cells.map(cell => (
                <tr key={cell.cellId} data-cell={cell.cellId}>
                  <th scope="row">
                    {cell.optional
                      ? trans.__('%1 (optional)', cell.index + 1)
                      : String(cell.index + 1)}
                  </th>
                  <td>{healthLabelText(cell.label, trans)}</td>
                  <td>{cell.passes}</td>
                  <td>{cell.failures}</td>
                  <td>{cell.expected}</td>
                  <td>
                    {cell.meanDurationMs === null
                      ? '—'
                      : trans.__('%1 ms', cell.meanDurationMs)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}

type CellsState =
  | { state: 'loading' }
  | { state: 'done'; reply: ICellHealthReply }
  | { state: 'error'; error: unknown };

/**
 * The detail view's health section: the verdict in words and the per-cell chart, loaded
 * again when the notebook's version or health changes.
 */
export function HealthSection(props: {
  id: string;
  health: INotebookHealth | null | undefined;
  version: number;
  trans: TranslationBundle;
}): JSX.Element {
  const { id, health, version, trans } = props;
  const [cells, setCells] = React.useState<CellsState>({ state: 'loading' });
  const [retry, setRetry] = React.useState(0);
  const healthKey = health ? `${health.label}:${health.score}` : '';
  React.useEffect(() => {
    let live = true;
    setCells({ state: 'loading' });
    getCellHealth(id)
      .then(reply => live && setCells({ state: 'done', reply }))
      .catch(error => live && setCells({ state: 'error', error }));
    return () => {
      live = false;
    };
  }, [id, version, healthKey, retry]);
  return (
    <section
      className="jp-Atrium-Gallery-healthSection"
      aria-label={trans.__('Execution health')}
    >
      {/* The badge itself is in the summary line above (SummaryMeta). */}
      <h4 className="jp-Atrium-Gallery-healthHeading">
        {trans.__('Execution health')}
      </h4>
      {health && (
        <p className="jp-Atrium-Gallery-healthReason">
          {healthReasonText(health, trans)}
        </p>
      )}
      {cells.state === 'loading' && (
        <Loading text={trans.__('Loading the cells’ health…')} />
      )}
      {cells.state === 'error' && (
        <ErrorMessage
          error={cells.error}
          trans={trans}
          onRetry={() => setRetry(n => n + 1)}
        />
      )}
      {cells.state === 'done' && (
        <CellHealthChart
          cells={cells.reply.items}
          trans={trans}
          idPrefix={`jp-Atrium-Gallery-cellChart-${id}`}
        />
      )}
    </section>
  );
}
