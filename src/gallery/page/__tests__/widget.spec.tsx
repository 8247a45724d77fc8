import { MainAreaWidget } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { getCellHealth, getContent, getNotebook, getPolicy } from '../../api';
import { galleryIcon } from '../../panel/icon';
import { flush, makeEnv, policy, summary } from '../../panel/__tests__/helpers';
import { createGalleryPage } from '../widget';

jest.mock('../../api');
jest.mock('../../diff');
jest.mock('../../open');

const m = <T extends (...args: never[]) => unknown>(fn: T) =>
  fn as unknown as jest.MockedFunction<T>;

beforeEach(() => {
  jest.resetAllMocks();
  m(getPolicy).mockResolvedValue(policy());
  m(getCellHealth).mockResolvedValue({
    notebookId: 'nb1',
    version: 3,
    items: []
  });
  m(getContent).mockResolvedValue({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: []
  });
});

afterEach(() => {
  document.body.innerHTML = '';
});

function page(initial = summary({ title: 'From the list' })) {
  const env = makeEnv();
  return createGalleryPage({
    app: env.app,
    docManager: env.docManager,
    rendermime: env.rendermime,
    translator: env.translator,
    settings: env.settings,
    id: 'nb1',
    initial
  });
}

describe('createGalleryPage', () => {
  it("is a main-area document with the gallery icon, titled with the notebook's title", async () => {
    m(getNotebook).mockResolvedValue({
      summary: summary({ title: 'Renamed since' }),
      etag: '"v3"'
    });
    const widget = page();
    expect(widget).toBeInstanceOf(MainAreaWidget);
    expect(widget.title.icon).toBe(galleryIcon);
    expect(widget.title.closable).toBe(true);
    // What the list knew, at once; then the notebook's own summary.
    expect(widget.title.label).toBe('From the list');
    Widget.attach(widget, document.body);
    await flush(10);
    expect(widget.title.label).toBe('Renamed since');
    expect(
      widget.node.querySelector('.jp-Atrium-Gallery-detailTitle')?.textContent
    ).toBe('Renamed since');
    widget.dispose();
  });

  it('has a neutral title until a restored page has read its summary', () => {
    m(getNotebook).mockReturnValue(new Promise(() => undefined));
    const widget = page(null as never);
    expect(widget.title.label).toBe('Gallery notebook');
    widget.dispose();
  });
});
