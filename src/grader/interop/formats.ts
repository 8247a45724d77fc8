/**
 * Import and export in JupyterLab: which format a notebook is written in (a guess the
 * instructor can change), and where the converted notebook goes. The conversion itself
 * is the service's (`POST grading/import`, `GET grading/assignments/{id}/export`), the
 * same code as the CLI.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import { isObject } from '../rules/data';

export type ImportFormat = 'nbgrader' | 'otter' | 'ordo';
export type ExportFormat = 'nbgrader' | 'nbgrader-release';

export const IMPORT_FORMATS: readonly ImportFormat[] = [
  'nbgrader',
  'otter',
  'ordo'
];

export function importFormatLabel(
  format: ImportFormat,
  trans: TranslationBundle
): string {
  switch (format) {
    case 'nbgrader':
      return trans.__('nbgrader source notebook');
    case 'otter':
      return trans.__('otter-grader master notebook');
    case 'ordo':
      return trans.__('Ordo notebook (ordo_solution)');
  }
}

function sourceOf(cell: Record<string, unknown>): string {
  const source = cell.source;
  return Array.isArray(source) ? source.join('') : String(source ?? '');
}

/**
 * The format a notebook is most likely written in: Ordo's `ordo_solution` cell metadata,
 * otter's raw-cell delimiters, else nbgrader (whose metadata Ordo notebooks often carry
 * too, hence Ordo first).
 */
export function guessImportFormat(notebook: unknown): ImportFormat {
  const cells =
    isObject(notebook) && Array.isArray(notebook.cells) ? notebook.cells : [];
  let otter = false;
  for (const cell of cells) {
    if (!isObject(cell)) {
      continue;
    }
    if (isObject(cell.metadata) && 'ordo_solution' in cell.metadata) {
      return 'ordo';
    }
    if (
      cell.cell_type === 'raw' &&
      /^\s*#\s*(ASSIGNMENT CONFIG|BEGIN QUESTION)\b/m.test(sourceOf(cell))
    ) {
      otter = true;
    }
  }
  return otter ? 'otter' : 'nbgrader';
}

/** `week1/squares.ipynb` → `week1/squares (suffix).ipynb`, numbered on when taken. */
export function besidePath(
  path: string,
  suffix: string,
  taken: (path: string) => boolean
): string {
  const stem = path.replace(/\.ipynb$/i, '');
  let candidate = `${stem} (${suffix}).ipynb`;
  for (let n = 2; taken(candidate); n++) {
    candidate = `${stem} (${suffix} ${n}).ipynb`;
  }
  return candidate;
}

/** What the service said of a conversion, one line each ("Cell 3: …"). */
export function findingTexts(
  findings: unknown,
  trans: TranslationBundle
): string[] {
  if (!Array.isArray(findings)) {
    return [];
  }
  return findings.filter(isObject).map(finding => {
    const message = String(finding.message ?? '');
    return typeof finding.cell === 'number'
      ? trans.__('Cell %1: %2', finding.cell + 1, message)
      : message;
  });
}
