/**
 * Saving a mark names the mark the instructor saw (If-Match its ETag, or If-None-Match: *
 * when there was none), and a 409 becomes "someone else's mark is there", not an error.
 */
const requestReply = jest.fn();
jest.mock('../../../common/request', () => ({
  requestAPI: jest.fn(),
  requestResponse: jest.fn(),
  requestReply: (...args: unknown[]) => requestReply(...args)
}));

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { setMark } = require('../api');

const SUBMISSION = 'c'.repeat(32);
const MARK = {
  points: 1,
  comment: '',
  by: 'other',
  at: '2026-12-07T08:00:00+00:00',
  etag: '"m0123456789abcdef"'
};

describe('setMark', () => {
  beforeEach(() => requestReply.mockReset());

  it('sets a first mark only if there is none yet', async () => {
    requestReply.mockResolvedValue({
      status: 200,
      etag: null,
      body: { id: 'x' }
    });
    const body = { exercise: 'q2', points: 2.5, comment: 'ok' };
    await expect(setMark(SUBMISSION, body, null)).resolves.toEqual({
      saved: true,
      submission: { id: 'x' }
    });
    const [url, init] = requestReply.mock.calls[0];
    expect(url).toBe(`service/grading/submissions/${SUBMISSION}/marks`);
    expect(init.method).toBe('PUT');
    expect(init.headers).toEqual({ 'If-None-Match': '*' });
    expect(JSON.parse(init.body)).toEqual(body);
    expect(init.accept).toEqual([409]);
  });

  it('replaces only the mark it names, and reports the one there instead', async () => {
    requestReply.mockResolvedValue({
      status: 409,
      etag: null,
      body: {
        message: 'Another instructor…',
        reason: 'conflict',
        current: { mark: MARK }
      }
    });
    const outcome = await setMark(
      SUBMISSION,
      { exercise: 'q2', points: 3, comment: '' },
      '"m1111111111111111"'
    );
    expect(requestReply.mock.calls[0][1].headers).toEqual({
      'If-Match': '"m1111111111111111"'
    });
    expect(outcome).toEqual({
      saved: false,
      message: 'Another instructor…',
      current: MARK
    });
  });
});
