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
 * A notebook the strip cannot process (nested beyond `MAX_DEPTH`).
 */
export class StripError extends Error {
  constructor(message: string) {
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
