/**
 * The diff view's contract (tests/fixtures/diffview/, shared with
 * tests/test_gallery_diff_view.py): notebooks written by Notebook 7, classic Notebook,
 * VS Code and nbformat, with several kernelspecs, hash as the service hashes them; a copy
 * opened untouched in a real JupyterLab notebook model keeps its hash; and the diff shows
 * a change exactly when the hashes differ.
 */
import * as fs from 'fs';
import * as path from 'path';

import type { INotebookContent } from '@jupyterlab/nbformat';
import { NotebookModel } from '@jupyterlab/notebook';

import {
  diffNotebookHeads,
  diffNotebooks,
  hasChanges,
  summarizeDiff
} from '../diff/diff';
import { contentHash } from '../hash';
import { stripNotebookModel } from '../model';
import { stripNotebook } from '../strip';
import { compileViewRules, notebookView } from '../view';

const root = path.resolve(__dirname, '..', '..', '..');
const dir = path.join(root, 'tests', 'fixtures', 'diffview');

interface ICases {
  sha256: Record<string, string>;
  same: Array<[string, string, string]>;
  different: Array<[string, string, string]>;
}

const cases: ICases = JSON.parse(
  fs.readFileSync(path.join(dir, 'cases.json'), 'utf-8')
);

function read(name: string): INotebookContent {
  return JSON.parse(fs.readFileSync(path.join(dir, name), 'utf-8'));
}

function shows(a: unknown, b: unknown): boolean {
  return hasChanges(diffNotebooks(a, b), diffNotebookHeads(a, b));
}

const originals = Object.keys(cases.sha256).filter(
  name => name.split('.').length === 2
);

/**
 * Open `nb` as JupyterLab does: NotebookModel.fromJSON (which upgrades nbformat 4.x to
 * 4.5 and gives cells without an id a new one), then what NotebookPanel does once its
 * kernel is up (_updateSpec, _updateLanguage): kernelspec and language_info from the
 * kernel, here ipykernel's, or IRkernel's for an R notebook.
 */
function openInJupyterLab(nb: INotebookContent): NotebookModel {
  const model = new NotebookModel();
  model.fromJSON(nb);
  const r = (nb.metadata.kernelspec as { name?: string } | undefined)?.name;
  if (r === 'ir') {
    model.setMetadata('kernelspec', {
      name: 'ir',
      display_name: 'R',
      language: 'R'
    });
  } else {
    model.setMetadata('kernelspec', {
      name: 'python3',
      display_name: 'Python 3 (ipykernel)',
      language: 'python'
    });
    model.setMetadata('language_info', {
      name: 'python',
      version: '3.11.7',
      mimetype: 'text/x-python',
      codemirror_mode: { name: 'ipython', version: 3 },
      pygments_lexer: 'ipython3',
      nbconvert_exporter: 'python',
      file_extension: '.py'
    });
  }
  return model;
}

describe('diff view fixtures', () => {
  it('cover the writers and kernels the gallery meets', () => {
    expect(originals.sort()).toEqual([
      'classic.ipynb',
      'nbformat.ipynb',
      'notebook7.ipynb',
      'r-kernel.ipynb',
      'vscode.ipynb'
    ]);
  });

  it.each(Object.entries(cases.sha256))(
    '%s hashes as the service hashes it',
    (name, sha) => {
      expect(contentHash(read(name))).toBe(sha);
    }
  );

  it.each(cases.same)('%s and %s: same hash, empty diff (%s)', (a, b) => {
    const [x, y] = [read(a), read(b)];
    expect(contentHash(x)).toBe(contentHash(y));
    expect(shows(x, y)).toBe(false);
    expect(shows(y, x)).toBe(false);
  });

  it.each(cases.different)(
    '%s and %s: other hash, the diff shows it (%s)',
    (a, b) => {
      const [x, y] = [read(a), read(b)];
      expect(contentHash(x)).not.toBe(contentHash(y));
      expect(shows(x, y)).toBe(true);
      expect(shows(y, x)).toBe(true);
    }
  );

  it('agree pairwise: the diff is empty exactly when the hashes are equal', () => {
    const names = Object.keys(cases.sha256);
    for (const a of names) {
      for (const b of names) {
        expect([a, b, shows(read(a), read(b))]).toEqual([
          a,
          b,
          cases.sha256[a] !== cases.sha256[b]
        ]);
      }
    }
  });
});

describe('a copy opened untouched in JupyterLab', () => {
  it.each(originals)('%s keeps the hash the gallery gave it', name => {
    const model = openInJupyterLab(read(name));
    // What JupyterLab changed on open: an id for every cell.
    expect(Array.from(model.cells).every(cell => !!cell.id)).toBe(true);
    const { notebook } = stripNotebookModel(model, {
      allowAttachments: false
    });
    expect(contentHash(notebook)).toBe(cases.sha256[name]);
    expect(shows(read(name), notebook)).toBe(false);
    model.dispose();
  });

  it('changes its hash when a cell is edited, and the diff shows the cell', () => {
    const model = openInJupyterLab(read('notebook7.ipynb'));
    model.cells.get(2).sharedModel.setSource('rows[:3]');
    const { notebook } = stripNotebookModel(model, { allowAttachments: false });
    expect(contentHash(notebook)).not.toBe(cases.sha256['notebook7.ipynb']);
    const diff = diffNotebooks(read('notebook7.ipynb'), notebook);
    expect(summarizeDiff(diff)).toEqual({
      added: 0,
      removed: 0,
      modified: 1,
      unchanged: 4
    });
    model.dispose();
  });
});

describe("nbformat's own test notebooks", () => {
  const real = (
    cases as unknown as { nbformatTests: { sha256: Record<string, string> } }
  ).nbformatTests.sha256;

  it.each(Object.keys(real))(
    '%s: stripped here, hashed as the service hashes it, and kept when opened',
    name => {
      const nb: INotebookContent = JSON.parse(
        fs.readFileSync(path.join(dir, 'nbformat-tests', name), 'utf-8')
      );
      const { notebook } = stripNotebook(nb, { allowAttachments: false });
      expect(contentHash(notebook)).toBe(real[name]);
      const model = openInJupyterLab(notebook);
      const opened = stripNotebookModel(model, { allowAttachments: false });
      expect(contentHash(opened.notebook)).toBe(real[name]);
      model.dispose();
    }
  );
});

describe('the diff view', () => {
  it('shows a tag change as a changed cell with the metadata diff', () => {
    const diff = diffNotebooks(
      read('notebook7.opened.ipynb'),
      read('notebook7.edited-tags.ipynb')
    );
    const changed = diff.filter(cell => cell.kind === 'modified');
    expect(changed).toHaveLength(1);
    expect(changed[0].lines?.every(line => line.kind === 'same')).toBe(true);
    expect(changed[0].otherLines?.some(line => line.kind === 'added')).toBe(
      true
    );
  });

  it('shows notebook metadata apart from the cells', () => {
    const a = read('notebook7.opened.ipynb');
    const b = read('notebook7.title.ipynb');
    expect(summarizeDiff(diffNotebooks(a, b)).modified).toBe(0);
    expect(diffNotebookHeads(a, b)?.some(line => line.kind === 'added')).toBe(
      true
    );
  });

  it('leaves out the rule paths and the objects they leave empty', () => {
    const rules = compileViewRules({
      notebookMetadata: [{ path: ['a', 'b'] }],
      cellMetadata: [{ path: ['x'] }]
    });
    expect(
      notebookView(
        {
          nbformat: 4,
          nbformat_minor: 4,
          metadata: { a: { b: 1 }, c: 2 },
          cells: [
            {
              cell_type: 'code',
              id: 'i',
              source: ['a\n', 'b'],
              metadata: { x: 1 },
              outputs: [],
              execution_count: null,
              attachments: {}
            }
          ]
        },
        rules
      )
    ).toEqual({
      nbformat: 4,
      metadata: { c: 2 },
      cells: [{ cell_type: 'code', source: 'a\nb' }]
    });
  });

  it('refuses malformed rules', () => {
    expect(() => compileViewRules({ notebookMetadata: [{}] })).toThrow(
      /notebookMetadata\[0\]/
    );
    expect(() => compileViewRules({ notebookMetadata: [] })).toThrow(
      /cellMetadata/
    );
  });
});
