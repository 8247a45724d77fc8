export {
  diffBlocks,
  diffCells,
  diffLines,
  diffNotebookHeads,
  diffNotebooks,
  hasChanges,
  lcsPairs,
  sideBySide,
  summarizeDiff
} from './diff';
export type {
  CellDiffKind,
  DiffBlock,
  ICellDiff,
  IDiffCell,
  IDiffSummary,
  ILineDiff,
  ISideRow
} from './diff';
export { NotebookDiff, showNotebookDiff } from './dialog';
export type { IShowDiffOptions } from './dialog';
