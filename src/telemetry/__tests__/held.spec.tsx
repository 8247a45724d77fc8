import { nullTranslator } from '@jupyterlab/translation';
import * as React from 'react';

import { AtriumRequestError } from '../../common/request';
import { click, render, texts } from '../../gallery/panel/__tests__/helpers';
import { HeldRecords, IHeldRecords } from '../held';

const trans = nullTranslator.load('jupyterlab');

const REPLY: IHeldRecords = {
  total: 120,
  windowDays: 30,
  items: [
    {
      notebookId: 'a'.repeat(32),
      version: 2,
      cellId: 'c1',
      success: 'expected',
      durationMs: 12,
      timestamp: '2026-12-07T01:00:00.000Z',
      receivedAt: '2026-12-07T01:00:05.000Z',
      eventId: 'e1'.repeat(10)
    },
    {
      notebookId: 'a'.repeat(32),
      version: 2,
      cellId: 'c0',
      success: false,
      durationMs: 3,
      timestamp: '2026-12-07T00:59:00.000Z',
      receivedAt: '2026-12-07T01:00:05.000Z',
      eventId: 'e0'.repeat(10)
    }
  ]
};

describe('HeldRecords', () => {
  it('lists what the gallery holds, newest first, with the total over the window', async () => {
    const load = jest.fn().mockResolvedValue(REPLY);
    const view = await render(<HeldRecords trans={trans} load={load} />);
    expect(view.container.textContent).toContain('holds 120 record(s)');
    expect(view.container.textContent).toContain('last 30 days');
    expect(texts(view.container, 'tbody td:nth-child(3)')).toEqual([
      'raised, as expected',
      'raised an error'
    ]);
    expect(texts(view.container, 'tbody td:nth-child(2)')[0]).toBe(
      `${'a'.repeat(32)} v2 c1`
    );
    view.unmount();
  });

  it('says why it cannot read them, and reads again on request', async () => {
    const load = jest
      .fn()
      .mockRejectedValueOnce(
        new AtriumRequestError(
          'The gallery is away.',
          503,
          'service-unavailable'
        )
      )
      .mockResolvedValueOnce({ total: 0, windowDays: 30, items: [] });
    const view = await render(<HeldRecords trans={trans} load={load} />);
    expect(texts(view.container, '[role=alert]')).toEqual([
      'The gallery’s records could not be read: The gallery is away.'
    ]);
    await click(view.container.querySelector('button'));
    expect(load).toHaveBeenCalledTimes(2);
    expect(view.container.querySelector('[role=alert]')).toBeNull();
    expect(view.container.textContent).toContain('holds 0 record(s)');
    expect(view.container.querySelector('table')).toBeNull();
    view.unmount();
  });
});
