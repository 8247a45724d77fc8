import {
  notebookIdOf,
  notebookIdOfWidget,
  OPEN_PAGE_COMMAND,
  pageArgs,
  pageWidgetId
} from '../args';

describe('gallery page arguments', () => {
  const id = '3f2a9c0d1b4e4f6a8c7d5e3b2a1f0e9d';

  it('saves what the command takes: the restored page is the same notebook', () => {
    expect(OPEN_PAGE_COMMAND).toBe('atrium-gallery:open-notebook');
    expect(pageArgs(id)).toEqual({ id });
    expect(notebookIdOf(pageArgs(id))).toBe(id);
    // Saved state is JSON: it survives the round trip through the state database.
    expect(notebookIdOf(JSON.parse(JSON.stringify(pageArgs(id))))).toBe(id);
  });

  it('names one widget per notebook, and reads the notebook back from it', () => {
    expect(pageWidgetId(id)).toBe(`atrium-gallery-notebook-${id}`);
    expect(pageWidgetId(id)).not.toBe(pageWidgetId('other'));
    expect(notebookIdOfWidget(pageWidgetId(id))).toBe(id);
    expect(notebookIdOfWidget('jp-Atrium-Gallery-panel')).toBeNull();
  });

  it('refuses stale or hostile saved arguments', () => {
    expect(notebookIdOf({})).toBeNull();
    expect(notebookIdOf({ id: '' })).toBeNull();
    expect(notebookIdOf({ id: 42 })).toBeNull();
    expect(notebookIdOf({ id: '../etc' })).toBeNull();
    expect(notebookIdOf({ id: 'a b' })).toBeNull();
    expect(notebookIdOf({ id: 'x'.repeat(129) })).toBeNull();
    expect(notebookIdOfWidget('atrium-gallery-notebook-')).toBeNull();
  });
});
