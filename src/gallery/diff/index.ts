export {
  diffCells,
  diffLines,
  diffNotebookHeads,
  diffNotebooks,
  hasChanges,
  lcsPairs,
  summarizeDiff
} from './diff';
export type {
  CellDiffKind,
  ICellDiff,
  IDiffCell,
  IDiffSummary,
  ILineDiff
} from './diff';
export { NotebookDiff, showNotebookDiff } from './dialog';
export type { IShowDiffOptions } from './dialog';
