/** The plugin id; index.ts spells it out so that the entry module imports nothing. */
export const PLUGIN_ID = 'jupyterlab-atrium:grader';

export const CommandIds = {
  /** Cell toolbar: mark the active cell for grading and show its form. */
  mark: 'atrium-grader:mark-cell',
  /** Cell toolbar and a shortcut: run the exercise's practice checks. */
  check: 'atrium-grader:check',
  /** Notebook toolbar and palette (instructors): the student version, read-only, beside it. */
  preview: 'atrium-grader:preview-student',
  /** Notebook toolbar and palette (instructors): run solution and stubs in fresh kernels. */
  selfTest: 'atrium-grader:self-test',
  /** Notebook toolbar and palette (instructors): release or re-release the assignment. */
  release: 'atrium-grader:release',
  /** Palette (instructors): the open nbgrader/otter/Ordo notebook as an Atrium one. */
  importNotebook: 'atrium-grader:import',
  /** Palette (instructors): the open notebook's released assignment for nbgrader. */
  exportNotebook: 'atrium-grader:export-nbgrader'
} as const;

/** The right sidebar's Property Inspector, where Notebook Tools live (JupyterLab's id). */
export const NOTEBOOK_TOOLS_ID = 'jp-property-inspector';

/** A metadata key of the Notebook Tools form in schema/grader.json. */
export const FORM_ROLE_KEY = '/atrium/grader/role';

export const CLASSES = {
  /** On <body> while the server says the user is an instructor. */
  instructor: 'jp-Atrium-Grader-instructor',
  /** On a cell with lint errors / only warnings. */
  cellError: 'jp-Atrium-Grader-mod-error',
  cellWarning: 'jp-Atrium-Grader-mod-warning',
  /** The lint message under a cell. */
  message: 'jp-Atrium-Grader-lint',
  /** The points total in the notebook toolbar. */
  points: 'jp-Atrium-Grader-points',
  /** A practice check's result under a cell. */
  check: 'jp-Atrium-Grader-check'
} as const;
