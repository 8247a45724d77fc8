/**
 * The strip contract, browser side. The fixtures in tests/fixtures/strip are shared with
 * pytest (tests/test_gallery_strip.py): both languages must turn every `<case>.in.ipynb`
 * into `<case>.out.ipynb` with the same report, problems and secrets.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { INotebookContent } from '@jupyterlab/nbformat';

import {
  ICellModelLike,
  INotebookModelLike,
  stripNotebookModel
} from '../model';
import { compileRules, STRIP_KINDS, STRIP_RULES, StripReport } from '../rules';
import {
  checkStripped,
  findLikelySecrets,
  StripError,
  stripNotebook
} from '../strip';

const root = path.resolve(__dirname, '..', '..', '..');
const fixtures = path.join(root, 'tests', 'fixtures', 'strip');
const rulesFile = path.join(
  root,
  'jupyterlab_atrium',
  'gallery',
  'strip-rules.json'
);

type Json = Record<string, unknown>;

function read(name: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(fixtures, name), 'utf-8'));
}

function exists(name: string): boolean {
  return fs.existsSync(path.join(fixtures, name));
}

const cases = fs
  .readdirSync(fixtures)
  .filter(name => name.endsWith('.in.ipynb'))
  .map(name => name.slice(0, -'.in.ipynb'.length))
  .sort();

function options(name: string): { allowAttachments: boolean } {
  const file = `${name}.options.json`;
  const value = exists(file) ? (read(file) as Json) : {};
  return { allowAttachments: value.allowAttachments === true };
}

function input(name: string): INotebookContent {
  return read(`${name}.in.ipynb`) as INotebookContent;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * nbformat's on-disk form (Python's json.dumps(indent=1, sort_keys=True,
 * ensure_ascii=False)), which the fixtures are written in.
 */
function canonical(value: unknown, indent = ''): string {
  const inner = indent + ' ';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return '[]';
    }
    const items = value.map(item => inner + canonical(item, inner));
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  if (isObject(value)) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) {
      return '{}';
    }
    const items = keys.map(
      key => `${inner}${JSON.stringify(key)}: ${canonical(value[key], inner)}`
    );
    return `{\n${items.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

describe('the shared fixtures', () => {
  it('cover the contract', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    expect(cases).toEqual(
      expect.arrayContaining([
        'outputs-and-widgets',
        'timing-metadata',
        'attachments',
        'attachments-allowed',
        'view-state',
        'gallery-link',
        'raw-cells',
        'nbformat-4.0-no-ids',
        'unicode',
        'huge-output',
        'secrets',
        'classic-signed',
        'hidden-cells',
        'nbgallery'
      ])
    );
  });

  describe.each(cases)('%s', name => {
    it('strips to the expected output and report', () => {
      const nb = input(name);
      const { notebook, report } = stripNotebook(nb, options(name));
      expect(notebook).toEqual(read(`${name}.out.ipynb`));
      expect(report).toEqual(read(`${name}.report.json`));
      expect(Object.keys(report)).toEqual([...STRIP_KINDS]);
    });

    it('agrees with the fixture byte for byte', () => {
      const { notebook } = stripNotebook(input(name), options(name));
      expect(canonical(notebook) + '\n').toBe(
        fs.readFileSync(path.join(fixtures, `${name}.out.ipynb`), 'utf-8')
      );
    });

    it('leaves its input unchanged', () => {
      const nb = input(name);
      stripNotebook(nb, options(name));
      expect(nb).toEqual(input(name));
    });

    it('finds exactly the expected problems in the input', () => {
      const problems = checkStripped(input(name), options(name));
      expect(problems.map(({ path, kind }) => ({ path, kind }))).toEqual(
        read(`${name}.problems.json`)
      );
      if (name !== 'already-stripped') {
        expect(problems.length).toBeGreaterThan(0);
      }
      for (const problem of problems) {
        expect(problem.message).toMatch(/^[A-Z].*\.$/);
      }
    });

    it('gives an output that passes the check and strips to itself', () => {
      const out = read(`${name}.out.ipynb`) as INotebookContent;
      expect(checkStripped(out, options(name))).toEqual([]);
      const again = stripNotebook(out, options(name));
      expect(again.notebook).toEqual(out);
      expect(new Set(Object.values(again.report))).toEqual(new Set([0]));
    });

    it('strips the same from the notebook model', () => {
      const nb = input(name);
      const { notebook, report } = stripNotebookModel(
        fakeModel(nb),
        options(name)
      );
      expect(notebook).toEqual(joinSources(read(`${name}.out.ipynb`) as Json));
      // A model cannot hold fields nbformat does not define, so it never reports them.
      const expected = read(`${name}.report.json`) as StripReport;
      expect(report).toEqual({ ...expected, otherFields: 0 });
    });

    if (exists(`${name}.secrets.json`)) {
      it('finds the expected likely secrets', () => {
        const expected = read(`${name}.secrets.json`);
        expect(findLikelySecrets(input(name))).toEqual(expected);
        const { notebook } = stripNotebook(input(name), options(name));
        expect(findLikelySecrets(notebook)).toEqual(expected);
      });
    }
  });
});

/**
 * The uploads in `invalid/` that the strip refuses too, with the reason (the same as the
 * service's, which pytest checks against the same file).
 */
const invalid = path.join(fixtures, 'invalid');
const refused = Object.entries(
  JSON.parse(fs.readFileSync(path.join(invalid, 'expected.json'), 'utf-8')) as {
    [name: string]: { strip?: string };
  }
)
  .filter(([, entry]) => entry.strip !== undefined)
  .map(([name, entry]) => [name, entry.strip] as [string, string]);

function refusal(action: () => unknown): StripError {
  try {
    action();
  } catch (error) {
    if (error instanceof StripError) {
      return error;
    }
    throw error;
  }
  throw new Error('the notebook was not refused');
}

describe('notebooks the strip refuses', () => {
  it('include nbformat 2 and 3', () => {
    expect(refused).toEqual(
      expect.arrayContaining([
        ['nbformat-2.ipynb', 'old-nbformat'],
        ['nbformat-3.ipynb', 'old-nbformat'],
        ['nbformat-3-signed.ipynb', 'old-nbformat']
      ])
    );
  });

  describe.each(refused)('%s', (name, reason) => {
    const nb = () =>
      JSON.parse(fs.readFileSync(path.join(invalid, name), 'utf-8'));

    it('is refused by the strip and the check, with the reason the service gives', () => {
      const value = nb();
      const stripped = refusal(() =>
        stripNotebook(value, { allowAttachments: false })
      );
      expect(stripped.reason).toBe(reason);
      expect(stripped.message).toMatch(/^[A-Z].*\.$/);
      expect(refusal(() => checkStripped(value)).reason).toBe(reason);
      expect(value).toEqual(nb());
    });

    if (reason.endsWith('nbformat')) {
      it('is refused from a notebook model of that version too', () => {
        const value = nb();
        const model: INotebookModelLike = {
          cells: [],
          nbformat: value.nbformat,
          nbformatMinor: value.nbformat_minor ?? 0,
          getMetadata: (key: string) => value.metadata[key],
          metadata: value.metadata,
          sharedModel: {}
        };
        const error = refusal(() =>
          stripNotebookModel(model, { allowAttachments: false })
        );
        expect(error.reason).toBe(reason);
        expect(error.nbformat).toBe(value.nbformat);
      });
    }
  });

  it('says what to do with an old notebook', () => {
    const nb = JSON.parse(
      fs.readFileSync(path.join(invalid, 'nbformat-2.ipynb'), 'utf-8')
    );
    const error = refusal(() => stripNotebook(nb, { allowAttachments: false }));
    expect(error.message).toContain('nbformat 2');
    expect(error.message).toContain('JupyterLab');
  });
});

/**
 * An array whose items cannot be read: only `length` is allowed.
 */
function poisonedArray(length: number): unknown[] {
  return new Proxy(new Array(length).fill(null), {
    get(target, key, receiver) {
      if (key === 'length' || key === Symbol.toStringTag) {
        return Reflect.get(target, key, receiver);
      }
      throw new Error(`an output was read (${String(key)})`);
    }
  });
}

function poisonedOutputs(nb: INotebookContent): INotebookContent {
  const copy = { ...nb, cells: nb.cells.map(cell => ({ ...cell })) };
  for (const cell of copy.cells) {
    if (Array.isArray(cell.outputs)) {
      cell.outputs = poisonedArray(cell.outputs.length) as never;
    }
  }
  const metadata = { ...copy.metadata };
  Object.defineProperty(metadata, 'widgets', {
    enumerable: true,
    get() {
      throw new Error('widget state was read');
    }
  });
  copy.metadata = metadata;
  return copy;
}

describe('stripNotebook', () => {
  it('never reads, copies or serialises outputs or widget state', () => {
    const nb = poisonedOutputs(input('outputs-and-widgets'));
    const stringify = jest.spyOn(JSON, 'stringify');
    const parse = jest.spyOn(JSON, 'parse');
    try {
      const { notebook, report } = stripNotebook(nb, {
        allowAttachments: false
      });
      expect(stringify).not.toHaveBeenCalled();
      expect(parse).not.toHaveBeenCalled();
      expect(report.outputs).toBe(5);
      expect(report.widgetState).toBe(1);
      expect(notebook).toEqual(read('outputs-and-widgets.out.ipynb'));
    } finally {
      stringify.mockRestore();
      parse.mockRestore();
    }
  });

  it('shares nothing with its input', () => {
    const nb = input('timing-metadata');
    const { notebook } = stripNotebook(nb, { allowAttachments: false });
    (notebook.cells[0].metadata.tags as string[]).push('changed');
    notebook.metadata.kernelspec!.name = 'changed';
    expect(nb.cells[0].metadata.tags).toEqual(['keep-me']);
    expect(nb.metadata.kernelspec!.name).toBe('python3');
  });

  it('keeps a __proto__ key as data, not as a prototype', () => {
    const { notebook } = stripNotebook(input('unicode'), {
      allowAttachments: false
    });
    const metadata = notebook.cells[1].metadata;
    expect(Object.getPrototypeOf(metadata)).toBe(Object.prototype);
    expect(Object.keys(metadata)).toContain('__proto__');
    expect(({} as Json).polluted).toBeUndefined();
  });

  it('refuses metadata nested deeper than the limit', () => {
    let deep: Json = {};
    for (let i = 0; i < 101; i++) {
      deep = { a: deep };
    }
    const nb = {
      cells: [],
      metadata: { deep },
      nbformat: 4,
      nbformat_minor: 5
    } as INotebookContent;
    expect(() => stripNotebook(nb, { allowAttachments: false })).toThrow(
      StripError
    );
  });

  it('takes more off when a policy rule is added to the data', () => {
    const data = JSON.parse(fs.readFileSync(rulesFile, 'utf-8'));
    data.cellMetadata.push({ path: ['nbgrader'], kind: 'policyMetadata' });
    const policy = compileRules(data);
    const nb = input('outputs-and-widgets');
    const { notebook, report } = stripNotebook(
      nb,
      { allowAttachments: false },
      policy
    );
    expect(notebook.cells[3].metadata).toEqual({ tags: ['graded'] });
    expect(report.policyMetadata).toBe(1);
    expect(
      checkStripped(notebook, {}, policy).map(problem => problem.path)
    ).toEqual([]);
    expect(
      checkStripped(nb, {}, policy).map(problem => problem.path)
    ).toContain('cells[3].metadata.nbgrader');
  });
});

describe('the rule data', () => {
  it('is the JSON file the Python package ships', () => {
    const data = JSON.parse(fs.readFileSync(rulesFile, 'utf-8'));
    expect(compileRules(data)).toEqual(STRIP_RULES);
  });

  it('refuses malformed rules', () => {
    const broken: Array<(data: Json) => void> = [
      data =>
        (data.cellMetadata as unknown[]).push({ path: ['x'], kind: 'outputs' }),
      data =>
        (data.cellMetadata as unknown[]).push({ path: [], kind: 'viewState' }),
      data => delete (data.cellFields as Json)['*'],
      data => delete data.notebookFields,
      data => delete data.nbformat,
      data => (data.nbformat = '4')
    ];
    for (const mutate of broken) {
      const data = JSON.parse(fs.readFileSync(rulesFile, 'utf-8'));
      mutate(data);
      expect(() => compileRules(data)).toThrow(/strip rules/);
    }
  });
});

// --- the notebook model -----------------------------------------------------------------

function sourceOf(source: unknown): string {
  return Array.isArray(source) ? source.join('') : String(source ?? '');
}

function joinSources(nb: Json): Json {
  const cells = (nb.cells as Json[]).map(cell => ({
    ...cell,
    source: sourceOf(cell.source)
  }));
  return { ...nb, cells };
}

// As the real model's getMetadata does (JSONExt.deepCopy); jsdom has no structuredClone.
function deepCopy<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

/**
 * A stand-in for JupyterLab's `NotebookModel` built from a notebook's JSON, with the
 * accessors the real one has (`sharedModel.ymeta`, `getMetadata`, cell `sharedModel`s,
 * `outputs.length`). Anything that would copy outputs or all metadata throws.
 */
function fakeModel(nb: INotebookContent, withYMeta = true): INotebookModelLike {
  const metadata = nb.metadata as Json;
  const cells: ICellModelLike[] = nb.cells.map((raw, index) => {
    const cell = raw as Json;
    const type = String(cell.cell_type);
    const hasAttachments = type === 'markdown' || type === 'raw';
    const outputs = Array.isArray(cell.outputs) ? cell.outputs : [];
    return {
      type,
      // The model gives every cell an id, even in notebooks older than nbformat 4.5.
      id: typeof cell.id === 'string' ? cell.id : `generated-${index}`,
      sharedModel: {
        getSource: () => sourceOf(cell.source),
        getMetadata: () => deepCopy(cell.metadata as Json),
        ...(hasAttachments
          ? { getAttachments: () => cell.attachments as never }
          : {}),
        ...(type === 'code'
          ? { execution_count: (cell.execution_count ?? null) as number | null }
          : {})
      },
      ...(type === 'code' ? { outputs: poisonedArray(outputs.length) } : {})
    };
  });
  const ymetadata = {
    keys: () => Object.keys(metadata),
    get: () => {
      throw new Error('a metadata value was read from the Y.Map');
    }
  };
  return {
    cells,
    nbformat: nb.nbformat,
    nbformatMinor: nb.nbformat_minor,
    getMetadata: (key: string) => {
      if (key === 'widgets') {
        throw new Error('widget state was read');
      }
      return deepCopy(metadata[key]);
    },
    get metadata(): Json {
      if (withYMeta) {
        throw new Error('all metadata was copied');
      }
      return deepCopy(metadata);
    },
    sharedModel: withYMeta
      ? { ymeta: { get: () => ymetadata, keys: () => ['metadata'] } }
      : {}
  };
}

describe('stripNotebookModel', () => {
  it('falls back to the metadata copy without a Y.Map', () => {
    const nb = input('gallery-link');
    const { notebook, report } = stripNotebookModel(fakeModel(nb, false), {
      allowAttachments: false
    });
    expect(notebook).toEqual(read('gallery-link.out.ipynb'));
    expect(report.galleryLink).toBe(1);
  });

  it('keeps attachments when the admin allows them', () => {
    const { notebook } = stripNotebookModel(fakeModel(input('attachments')), {
      allowAttachments: true
    });
    expect(notebook).toEqual(read('attachments-allowed.out.ipynb'));
  });
});
