/**
 * Lint findings on the cells: a class on the cell (its prompt and border take the
 * colour) and a small message in the cell's footer.
 */
import { CLASSES } from './ids';
import type { ICellState } from './findings';

/** The part of a cell widget this needs (a Cell, or a stand-in in tests). */
export interface ICellView {
  readonly node: HTMLElement;
}

export function footerOf(cell: ICellView): HTMLElement {
  // The footer JupyterLab gives every cell (empty by default); a stand-in may have none.
  for (const child of Array.from(cell.node.children)) {
    if (child.classList.contains('jp-CellFooter')) {
      return child as HTMLElement;
    }
  }
  return cell.node;
}

/** Show one cell's state; a cell without problems is left as JupyterLab drew it. */
export function showCellState(cell: ICellView, state: ICellState): void {
  const node = cell.node;
  node.classList.toggle(CLASSES.cellError, state.severity === 'error');
  node.classList.toggle(CLASSES.cellWarning, state.severity === 'warning');
  const footer = footerOf(cell);
  let message = footer.querySelector<HTMLElement>(`.${CLASSES.message}`);
  if (state.severity === null) {
    message?.remove();
    return;
  }
  if (!message) {
    message = document.createElement('div');
    message.className = CLASSES.message;
    message.setAttribute('role', 'status');
    footer.appendChild(message);
  }
  message.dataset.severity = state.severity;
  const text = state.lines.join('\n');
  if (message.textContent !== text) {
    message.replaceChildren(
      ...state.lines.map(line => {
        const item = document.createElement('div');
        item.textContent = line;
        return item;
      })
    );
  }
}

/** Remove every trace of lint from a cell (the plugin stops, the user is no instructor). */
export function clearCell(cell: ICellView): void {
  showCellState(cell, { severity: null, lines: [] });
}
