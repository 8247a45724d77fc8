/**
 * Open on an assignment: the student's copy is made once and never overwritten — their
 * copy is reopened, another file at that name is left alone and the student chooses.
 */
import type { Contents } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';

import type { IAssignment } from '../student/api';
import { copiesPresent, findCopy, openAssignment } from '../student/open';

const ID = 'f'.repeat(32);
const OTHER = 'e'.repeat(32);

const getStudentCopy = jest.fn();
jest.mock('../student/api', () => ({
  getStudentCopy: (id: string) => getStudentCopy(id)
}));

const showDialog = jest.fn();
jest.mock('@jupyterlab/apputils', () => ({
  showDialog: (options: unknown) => showDialog(options),
  Dialog: {
    cancelButton: (o: object) => ({ ...o, accept: false, actions: [] }),
    okButton: (o: { actions?: string[] }) => ({
      ...o,
      accept: true,
      actions: o.actions ?? []
    })
  }
}));

const trans = nullTranslator.load('jupyterlab_atrium');

const ASSIGNMENT: IAssignment = {
  id: ID,
  title: 'Length of stay',
  course: null,
  version: 1,
  releasedAt: null,
  deadline: null,
  lateUntil: null,
  latePenalty: 0,
  reveal: 'message-only',
  points: 5,
  exercises: []
};

function notebookOf(id: string) {
  return {
    cells: [],
    metadata: { atrium: { assignment: { id, version: 1 } } },
    nbformat: 4,
    nbformat_minor: 5
  };
}

/** A contents manager over a map of paths; a missing path fails as Jupyter's does. */
function fakeContents(files: Record<string, unknown>) {
  const missing = () =>
    Object.assign(new Error('not found'), { response: { status: 404 } });
  const saved: string[] = [];
  const listing = (dir: string) =>
    Object.keys(files)
      .filter(path => {
        const parent = path.includes('/')
          ? path.slice(0, path.lastIndexOf('/'))
          : '';
        return parent === dir;
      })
      .map(path => ({
        path,
        name: path.split('/').pop(),
        type: files[path] === 'dir' ? 'directory' : 'notebook'
      }));
  const contents = {
    get: jest.fn(async (path: string) => {
      if (path === '' || files[path] === 'dir') {
        return { path, type: 'directory', content: listing(path) };
      }
      if (!(path in files)) {
        throw missing();
      }
      return { path, type: 'notebook', content: files[path] };
    }),
    save: jest.fn(
      async (path: string, model: { type: string; content?: unknown }) => {
        saved.push(path);
        files[path] = model.type === 'directory' ? 'dir' : model.content;
        return { path };
      }
    )
  };
  return {
    contents: contents as unknown as Contents.IManager,
    files,
    saved,
    gets: contents.get
  };
}

function docManagerOf(contents: Contents.IManager) {
  return {
    services: { contents },
    openOrReveal: jest.fn()
  } as unknown as Parameters<typeof openAssignment>[0] & {
    openOrReveal: jest.Mock;
  };
}

beforeEach(() => {
  getStudentCopy.mockReset().mockResolvedValue(notebookOf(ID));
  showDialog.mockReset();
});

describe('opening an assignment', () => {
  it('makes the folder and the copy the first time, and opens it', async () => {
    const fake = fakeContents({});
    const docManager = docManagerOf(fake.contents);
    const path = await openAssignment(docManager, ASSIGNMENT, trans);
    expect(path).toBe('assignments/Length of stay.ipynb');
    expect(fake.saved).toEqual(['assignments', path]);
    expect(fake.files[path!]).toEqual(notebookOf(ID));
    expect(docManager.openOrReveal).toHaveBeenCalledWith(path);
    // no request for a file that does not exist (no 404 in the console)
    expect(fake.gets.mock.calls.map(c => c[0])).toEqual(['']);
  });

  it('reopens the student’s own copy and writes nothing', async () => {
    const mine = { ...notebookOf(ID), cells: [{ source: 'my work' }] };
    const fake = fakeContents({
      assignments: 'dir',
      'assignments/Length of stay.ipynb': mine
    });
    const docManager = docManagerOf(fake.contents);
    const path = await openAssignment(docManager, ASSIGNMENT, trans);
    expect(path).toBe('assignments/Length of stay.ipynb');
    expect(fake.saved).toEqual([]);
    expect(getStudentCopy).not.toHaveBeenCalled();
    expect(fake.files[path!]).toBe(mine);
    expect(showDialog).not.toHaveBeenCalled();
  });

  it('asks about another file at that name and never overwrites it', async () => {
    const theirs = notebookOf(OTHER);
    const files = {
      assignments: 'dir',
      'assignments/Length of stay.ipynb': theirs,
      'assignments/Length of stay (2).ipynb': notebookOf(OTHER)
    };

    // Cancel: nothing written, nothing opened.
    let fake = fakeContents({ ...files });
    let docManager = docManagerOf(fake.contents);
    showDialog.mockResolvedValueOnce({
      button: { accept: false, actions: [] }
    });
    expect(await openAssignment(docManager, ASSIGNMENT, trans)).toBeNull();
    expect(fake.saved).toEqual([]);
    expect(docManager.openOrReveal).not.toHaveBeenCalled();

    // Open that file: opened as it is.
    fake = fakeContents({ ...files });
    docManager = docManagerOf(fake.contents);
    showDialog.mockResolvedValueOnce({ button: { accept: true, actions: [] } });
    expect(await openAssignment(docManager, ASSIGNMENT, trans)).toBe(
      'assignments/Length of stay.ipynb'
    );
    expect(fake.saved).toEqual([]);

    // Make my copy: beside it, at the first free name.
    fake = fakeContents({ ...files });
    docManager = docManagerOf(fake.contents);
    showDialog.mockResolvedValueOnce({
      button: { accept: true, actions: ['make-copy'] }
    });
    const path = await openAssignment(docManager, ASSIGNMENT, trans);
    expect(path).toBe('assignments/Length of stay (3).ipynb');
    expect(fake.saved).toEqual([path]);
    expect(fake.files['assignments/Length of stay.ipynb']).toBe(theirs);
  });

  it('refuses a student version that names another assignment', async () => {
    getStudentCopy.mockResolvedValue(notebookOf(OTHER));
    const fake = fakeContents({});
    await expect(
      openAssignment(docManagerOf(fake.contents), ASSIGNMENT, trans)
    ).rejects.toMatchObject({ reason: 'invalid-reply' });
    expect(fake.saved).toEqual([]);
  });

  it('finds the copy only where it is linked to the assignment', async () => {
    expect(await copiesPresent(fakeContents({}).contents)).toBeNull();
    const linked = fakeContents({
      assignments: 'dir',
      'assignments/Length of stay.ipynb': notebookOf(ID)
    });
    expect(await findCopy(linked.contents, ASSIGNMENT)).toBe(
      'assignments/Length of stay.ipynb'
    );
    const other = fakeContents({
      assignments: 'dir',
      'assignments/Length of stay.ipynb': notebookOf(OTHER)
    });
    expect(await findCopy(other.contents, ASSIGNMENT)).toBeNull();
  });
});

describe('a corrected release reaching a copy', () => {
  const answer = (exercise: string, source: string, type = 'code') => ({
    cell_type: type,
    source,
    metadata: {
      atrium: {
        grader: { exercise, role: type === 'code' ? 'answer' : 'manual' }
      }
    }
  });
  const version = (n: number, cells: unknown[]) => ({
    ...notebookOf(ID),
    cells,
    metadata: { atrium: { assignment: { id: ID, version: n } } }
  });
  const PATH = 'assignments/Length of stay.ipynb';
  const KEPT = 'assignments/Length of stay (version 1).ipynb';
  const V2 = { ...ASSIGNMENT, version: 2 };

  function setUp() {
    const mine = version(1, [
      { cell_type: 'markdown', source: 'Instructions v1', metadata: {} },
      answer('q1', 'def f(x):\n    return 2 * x'),
      answer('q2', 'Because *outliers*.', 'markdown'),
      answer('q3', 'my answer to a removed exercise')
    ]);
    getStudentCopy.mockResolvedValue(
      version(2, [
        {
          cell_type: 'markdown',
          source: 'Instructions v2 (corrected)',
          metadata: {}
        },
        answer('q1', '# your code here'),
        answer('q2', 'YOUR ANSWER HERE', 'markdown'),
        answer('q4', '# new exercise')
      ])
    );
    const fake = fakeContents({ assignments: 'dir', [PATH]: mine });
    const docManager = Object.assign(docManagerOf(fake.contents), {
      findWidget: jest.fn(() => undefined)
    });
    return { fake, docManager, mine };
  }

  it('keeps the copy as it was and carries the answers into the new version', async () => {
    const { fake, docManager, mine } = setUp();
    showDialog
      .mockResolvedValueOnce({ button: { accept: true, actions: [] } })
      .mockResolvedValueOnce({ button: { accept: true, actions: [] } });
    expect(await openAssignment(docManager, V2, trans)).toBe(PATH);
    // The copy as it was is written first, untouched.
    expect(fake.saved).toEqual([KEPT, PATH]);
    expect(fake.files[KEPT]).toEqual(mine);
    const updated = fake.files[PATH] as ReturnType<typeof version>;
    expect(updated.metadata.atrium.assignment.version).toBe(2);
    expect(updated.cells.map(c => (c as { source: string }).source)).toEqual([
      'Instructions v2 (corrected)',
      'def f(x):\n    return 2 * x',
      'Because *outliers*.',
      '# new exercise'
    ]);
    // The student is told which answer stayed behind, and where it is.
    expect(JSON.stringify(showDialog.mock.calls[1][0].body)).toContain('q3');
    expect(docManager.openOrReveal).toHaveBeenCalledWith(PATH);
  });

  it('changes nothing when the student keeps the copy, or cancels', async () => {
    let { fake, docManager } = setUp();
    showDialog.mockResolvedValueOnce({
      button: { accept: true, actions: ['keep'] }
    });
    expect(await openAssignment(docManager, V2, trans)).toBe(PATH);
    expect(fake.saved).toEqual([]);
    ({ fake, docManager } = setUp());
    showDialog.mockResolvedValueOnce({
      button: { accept: false, actions: [] }
    });
    expect(await openAssignment(docManager, V2, trans)).toBeNull();
    expect(fake.saved).toEqual([]);
    expect(docManager.openOrReveal).not.toHaveBeenCalled();
  });
});
