import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';

import {
  AtriumRequestError,
  describeError,
  errorFromReply,
  requestAPI
} from '../request';

const trans = nullTranslator.load('jupyterlab_atrium');

function settingsAnswering(
  fetch: (input: RequestInfo, init?: RequestInit) => Promise<Response>
): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/base/',
    fetch: fetch as ServerConnection.ISettings['fetch']
  });
}

async function failure(promise: Promise<unknown>): Promise<AtriumRequestError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AtriumRequestError);
    return error as AtriumRequestError;
  }
  throw new Error('the request did not fail');
}

function reply(status: number, body: string): Promise<Response> {
  return Promise.resolve(new Response(body, { status }));
}

describe('requestAPI', () => {
  it('calls the Atrium API under the base URL and parses JSON', async () => {
    const seen: string[] = [];
    const settings = settingsAnswering((input: RequestInfo) => {
      // ServerConnection adds a cache-busting query to GETs.
      seen.push((typeof input === 'string' ? input : input.url).split('?')[0]);
      return reply(200, '{"ok": true}');
    });
    await expect(requestAPI('service/status', {}, settings)).resolves.toEqual({
      ok: true
    });
    expect(seen).toEqual([
      'http://localhost:8888/base/atrium/api/service/status'
    ]);
  });

  it('turns a JSON error body into an error carrying its message', async () => {
    const settings = settingsAnswering(() =>
      reply(
        503,
        '{"message": "The Atrium database is not available", "reason": "service-unavailable"}'
      )
    );
    const error = await failure(requestAPI('service/status', {}, settings));
    expect(error.status).toBe(503);
    expect(error.reason).toBe('service-unavailable');
    expect(describeError(error, trans)).toBe(
      'The Atrium database is not available'
    );
  });

  it('reports a network failure as such', async () => {
    const settings = settingsAnswering(() =>
      Promise.reject(new TypeError('Failed to fetch'))
    );
    const error = await failure(requestAPI('info', {}, settings));
    expect(error.reason).toBe('network-error');
    expect(describeError(error, trans)).toMatch(/does not answer/);
  });

  it('rejects a 200 reply that is not JSON', async () => {
    const settings = settingsAnswering(() => reply(200, '<html>login</html>'));
    const error = await failure(requestAPI('info', {}, settings));
    expect(error.reason).toBe('invalid-reply');
    expect(describeError(error, trans)).toMatch(/cannot read/);
  });
});

describe('errorFromReply', () => {
  it('reads a bare 404 page as a missing server extension', () => {
    const error = errorFromReply(404, '<html>404 Not Found</html>');
    expect(error.reason).toBe('not-installed');
    expect(describeError(error, trans)).toMatch(
      /pip install jupyterlab-atrium/
    );
  });

  it('keeps the field an invalid-field reply names', () => {
    const error = errorFromReply(
      400,
      '{"message": "User name: is required.", "reason": "invalid-field", "field": "username"}'
    );
    expect([error.reason, error.field]).toEqual(['invalid-field', 'username']);
    expect(errorFromReply(400, '{"field": 1}').field).toBeUndefined();
  });

  it('keeps an Atrium 404 with a message as a normal error', () => {
    const error = errorFromReply(
      404,
      '{"message": "No such notebook", "reason": "not-found"}'
    );
    expect(error.reason).toBe('not-found');
    expect(describeError(error, trans)).toBe('No such notebook');
  });

  it('falls back to the status when the server gave no message', () => {
    const error = errorFromReply(500, '');
    expect(error.reason).toBe('http-500');
    expect(describeError(error, trans)).toBe(
      'The server refused the request (HTTP 500).'
    );
  });

  it('ignores hostile non-string fields', () => {
    const error = errorFromReply(400, '{"message": {"html": "<b>x</b>"}}');
    expect(error.message).toBe('');
    expect(describeError(error, trans)).toMatch(/HTTP 400/);
  });
});

describe('describeError', () => {
  it('describes plain errors and unknown values', () => {
    expect(describeError(new Error('boom'), trans)).toBe('boom');
    expect(describeError(42, trans)).toBe('An unknown error occurred.');
  });
});
