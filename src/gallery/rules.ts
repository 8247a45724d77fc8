// The rule data lives in the Python package so the wheel ships it to the service; tsc
// leaves this import as it is and webpack inlines the file into the labextension.
import RAW_RULES from '../../jupyterlab_atrium/gallery/strip-rules.json';

/**
 * What the strip removes, one counter each in the report. The metadata kinds come from
 * the rule file; the others from the cell structure.
 */
export const STRIP_KINDS = [
  'outputs',
  'executionCounts',
  'widgetState',
  'timingMetadata',
  'attachments',
  'viewState',
  'galleryLink',
  'policyMetadata',
  'otherFields'
] as const;

export type StripKind = (typeof STRIP_KINDS)[number];

/**
 * The kinds a metadata rule may have. `policyMetadata` is for rules an admin policy adds.
 */
export const METADATA_KINDS: ReadonlySet<StripKind> = new Set<StripKind>([
  'widgetState',
  'timingMetadata',
  'viewState',
  'galleryLink',
  'policyMetadata'
]);

/**
 * How much of each kind a strip removed: number of output items, of execution counts,
 * of metadata entries, of attachment files, of non-nbformat fields.
 */
export type StripReport = Record<StripKind, number>;

export function emptyReport(): StripReport {
  const report = {} as StripReport;
  for (const kind of STRIP_KINDS) {
    report[kind] = 0;
  }
  return report;
}

export interface IMetadataRule {
  readonly path: readonly string[];
  readonly kind: StripKind;
  readonly why: string;
}

/**
 * Metadata rules as a tree of keys: a node either removes its key or descends into it.
 */
export interface IRuleNode {
  readonly remove?: StripKind;
  readonly children: Map<string, IRuleNode>;
}

export interface IStripRules {
  /** The one nbformat major version the contract is written for; others are refused. */
  readonly nbformat: number;
  readonly notebookFields: ReadonlySet<string>;
  /** Fields each cell type may keep; `*` is for cell types nbformat 4 does not define. */
  readonly cellFields: ReadonlyMap<string, ReadonlySet<string>>;
  readonly notebookMetadata: readonly IMetadataRule[];
  readonly cellMetadata: readonly IMetadataRule[];
  readonly notebookTree: Map<string, IRuleNode>;
  readonly cellTree: Map<string, IRuleNode>;
}

/**
 * Deepest nesting a kept metadata value may have. Real metadata is a few levels deep;
 * the limit keeps the recursive copy (and Python's) far from any stack limit.
 */
export const MAX_DEPTH = 100;

/**
 * Why the strip refused a notebook; the same reasons as the service's 400 answers.
 */
export type StripErrorReason =
  'too-deep' | 'old-nbformat' | 'unsupported-nbformat' | 'not-a-notebook';

/**
 * A notebook the strip cannot process: nested beyond `MAX_DEPTH`, of another nbformat
 * major version, or without its cells where nbformat 4 keeps them. `message` is English
 * (as the service words it); the UI words `reason` through its translator.
 */
export class StripError extends Error {
  constructor(
    message: string,
    readonly reason: StripErrorReason = 'too-deep',
    /** The notebook's nbformat, for the version reasons. */
    readonly nbformat?: number
  ) {
    super(message);
    this.name = 'StripError';
  }
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readRules(raw: unknown, where: string): IMetadataRule[] {
  if (!Array.isArray(raw)) {
    throw new Error(`strip rules: ${where} must be a list`);
  }
  return raw.map((rule: unknown, index) => {
    if (
      !isRecord(rule) ||
      !isStringList(rule.path) ||
      rule.path.length === 0 ||
      typeof rule.kind !== 'string' ||
      !METADATA_KINDS.has(rule.kind as StripKind)
    ) {
      throw new Error(`strip rules: ${where}[${index}] is not a valid rule`);
    }
    return {
      path: rule.path,
      kind: rule.kind as StripKind,
      why: typeof rule.why === 'string' ? rule.why : ''
    };
  });
}

function buildTree(rules: readonly IMetadataRule[]): Map<string, IRuleNode> {
  const root = new Map<string, IRuleNode>();
  for (const rule of rules) {
    let level = root;
    rule.path.forEach((key, i) => {
      const last = i === rule.path.length - 1;
      const node = level.get(key);
      if (last) {
        // Removing a key wins over rules for keys inside it.
        level.set(key, {
          remove: node?.remove ?? rule.kind,
          children: new Map()
        });
      } else if (!node) {
        const created: IRuleNode = { children: new Map() };
        level.set(key, created);
        level = created.children;
      } else {
        level = node.children;
      }
    });
  }
  return root;
}

/**
 * Validate the rule data and index it; throws on a malformed file so a bad edit fails the
 * tests instead of silently keeping data.
 */
export function compileRules(raw: unknown): IStripRules {
  if (
    !isRecord(raw) ||
    !isStringList(raw.notebookFields) ||
    !isRecord(raw.cellFields)
  ) {
    throw new Error('strip rules: notebookFields and cellFields are required');
  }
  if (!Number.isInteger(raw.nbformat)) {
    throw new Error(
      'strip rules: nbformat must be the major version the rules are for'
    );
  }
  const cellFields = new Map<string, ReadonlySet<string>>();
  for (const [type, fields] of Object.entries(raw.cellFields)) {
    if (!isStringList(fields)) {
      throw new Error(`strip rules: cellFields.${type} must list field names`);
    }
    cellFields.set(type, new Set(fields));
  }
  if (!cellFields.has('*')) {
    throw new Error('strip rules: cellFields needs a "*" entry');
  }
  const notebookMetadata = readRules(raw.notebookMetadata, 'notebookMetadata');
  const cellMetadata = readRules(raw.cellMetadata, 'cellMetadata');
  return {
    nbformat: raw.nbformat as number,
    notebookFields: new Set(raw.notebookFields),
    cellFields,
    notebookMetadata,
    cellMetadata,
    notebookTree: buildTree(notebookMetadata),
    cellTree: buildTree(cellMetadata)
  };
}

/**
 * The rule set Atrium ships (`jupyterlab_atrium/gallery/strip-rules.json`).
 */
export const STRIP_RULES: IStripRules = compileRules(RAW_RULES);

/**
 * The fields a cell of this type keeps.
 */
export function fieldsFor(
  rules: IStripRules,
  cellType: string
): ReadonlySet<string> {
  return rules.cellFields.get(cellType) ?? rules.cellFields.get('*')!;
}

function notANotebook(detail: string): StripError {
  return new StripError(
    `This file is not a Jupyter notebook: ${detail}.`,
    'not-a-notebook'
  );
}

/**
 * Throws a `StripError` unless `nbformat` is the major version the rules are written for.
 * A notebook model passes its version here; JupyterLab converts older notebooks when it
 * opens them, so only a notebook read as JSON can be refused in practice.
 */
export function ensureVersion(nbformat: unknown, rules: IStripRules): void {
  if (typeof nbformat !== 'number' || !Number.isInteger(nbformat)) {
    throw notANotebook('it has no nbformat version');
  }
  if (nbformat < rules.nbformat) {
    throw new StripError(
      `This notebook uses nbformat ${nbformat}; the gallery accepts nbformat ` +
        `${rules.nbformat}. Open it in JupyterLab and save it, which converts it.`,
      'old-nbformat',
      nbformat
    );
  }
  if (nbformat > rules.nbformat) {
    throw new StripError(
      `This notebook uses nbformat ${nbformat}, which this version of Atrium does not read.`,
      'unsupported-nbformat',
      nbformat
    );
  }
}

/**
 * Throws a `StripError` unless `nb` (the JSON form) is a notebook of the supported major
 * version with its cells where that version keeps them. nbformat 2 and 3 keep them in
 * `worksheets`: read as nbformat 4, such a notebook would be published without a cell.
 * The service applies the same rule (`ensure_readable` in Python), with the same reasons.
 */
export function ensureReadable(nb: unknown, rules: IStripRules): void {
  if (!isRecord(nb)) {
    throw notANotebook(
      Array.isArray(nb)
        ? 'it is a JSON list, not an object'
        : 'it is not an object'
    );
  }
  ensureVersion(nb.nbformat, rules);
  if (!Array.isArray(nb.cells)) {
    throw notANotebook('its cells are not a list');
  }
  nb.cells.forEach((cell: unknown, index) => {
    if (!isRecord(cell)) {
      throw notANotebook(`cell ${index + 1} is not an object`);
    }
  });
}
