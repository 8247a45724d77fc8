/**
 * The grader's shared rules, browser side: the `metadata.atrium.grader` model, solution
 * and hidden-test markers, student-version generation and lint. Pure functions with no
 * JupyterLab dependency, meant to be loaded with a dynamic import() by the grader plugin;
 * the Python twin is jupyterlab_atrium/grader/, and both run on tests/fixtures/grader/.
 */
export { BLOCKING, describe, GraderError } from './analysis';
export type { IFinding, Severity } from './analysis';
export { METADATA_VERSION } from './data';
export { lint } from './lint';
export { cellProblems, notebookProblems } from './metadata';
export { studentVersion } from './student';
export { summary } from './summary';
export type { IExerciseSummary, ISummary } from './summary';
