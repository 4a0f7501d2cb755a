import { expect } from '@jest/globals';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';

jest.setTimeout(60_000);

async function postTts(
  service: HttpSpeechApp,
  body: string,
  contentType: string,
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const response = await fetch(`${service.url}/api/v1/tts`, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  });
  const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
  const json = /json/.test(response.headers.get('content-type') ?? '')
    ? (JSON.parse(text) as Record<string, unknown>)
    : {};
  return { status: response.status, body: json, text };
}

describe('hostile request bodies on /api/v1/tts (e2e)', () => {
  let service: HttpSpeechApp;

  beforeAll(async () => {
    service = await startHttpSpeechApp();
  });
  afterAll(() => service.close());

  it.each([
    ['3,000 urlencoded fields', Array.from({ length: 3_000 }, (_, i) => `f${i}=1`).join('&')],
    ['urlencoded nesting 100 deep', `${'a'.concat('[b]'.repeat(100))}=1`],
  ])('%s: a 4xx problem, no stack trace', async (_, body) => {
    const answer = await postTts(service, body, 'application/x-www-form-urlencoded');
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body).toMatchObject({ code: 'BAD_REQUEST', status: answer.status });
    expect(answer.text).not.toMatch(/at \w+ \(|node_modules/);
  });

  it('counts what <sub alias> speaks in the up-front audio estimate', async () => {
    const alias = 'word '.repeat(2_700); // 13.5k characters: about 810 s, over the 600 s limit
    const ssml = `<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural"><sub alias="${alias}">x</sub></voice></speak>`;
    const answer = await postTts(service, JSON.stringify({ ssml }), 'application/json');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'BAD_REQUEST', detail: expect.stringMatching(/audio|long/i) });
  });

  it('refuses <audio src> (the service would fetch and play any URL)', async () => {
    const ssml =
      '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural">' +
      '<audio src="http://169.254.169.254/latest/meta-data/">hi</audio></voice></speak>';
    const answer = await postTts(service, JSON.stringify({ ssml }), 'application/json');
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'BAD_REQUEST', detail: expect.stringContaining('<audio>') });
  });
});
