import { expect } from '@jest/globals';
import type { Registry } from 'prom-client';
import { METRICS_REGISTRY } from '../src/metrics/metrics-registry';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';
import { metricValue, waitForMetric } from './support/app/voice-harness';

jest.setTimeout(60_000);

/** How many completed syntheses of `transport` the first-byte histogram holds (its +Inf bucket). */
const firstBytes = (registry: Registry, transport: string): Promise<number> =>
  metricValue(registry, 'warmline_tts_first_byte_seconds', { transport, tier: 'warm', le: '+Inf' });

/** Waits until the HTTP counter (counted when the response closes, just after the client read it) shows `n`. */
const httpCounted = (registry: Registry, route: string, status: string, n = 1): Promise<void> =>
  waitForMetric(registry, 'warmline_http_requests_total', { route, method: 'POST', status }, (v) => v === n);

async function post(url: string, body: unknown, contentType = 'application/json'): Promise<Response> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: contentType === 'application/json' ? JSON.stringify(body) : (body as Buffer),
  });
  await response.arrayBuffer();
  return response;
}

/** HTTP traffic is counted like Socket.IO's: the services' transport label, and the HTTP API's own counter. */
describe('metrics of the HTTP speech API (e2e)', () => {
  let service: HttpSpeechApp;
  let registry: Registry;

  beforeAll(async () => {
    service = await startHttpSpeechApp();
    registry = service.app.get(METRICS_REGISTRY);
  });
  afterAll(() => service.close());

  it('counts a POST /api/v1/tts synthesis and its first byte under transport "http"', async () => {
    expect((await post(`${service.url}/api/v1/tts`, { text: 'Counted over HTTP.' })).status).toBe(200);
    expect(await firstBytes(registry, 'http')).toBe(1);
    expect(await firstBytes(registry, 'socketio')).toBe(0);
    expect(
      await metricValue(registry, 'warmline_speech_requests_total', {
        operation: 'synthesis',
        transport: 'http',
        outcome: 'ok',
      }),
    ).toBe(1);
    await httpCounted(registry, '/api/v1/tts', '200');
  });

  it('counts OpenAI route syntheses under transport "openai"', async () => {
    const response = await post(`${service.url}/v1/audio/speech`, {
      model: 'tts-1',
      input: 'Counted as OpenAI.',
      voice: 'alloy',
    });
    expect(response.status).toBe(200);
    expect(await firstBytes(registry, 'openai')).toBe(1);
    await httpCounted(registry, '/v1/audio/speech', '200');
  });

  it('counts a refused request by its status, and a recognition under transport "http"', async () => {
    expect((await post(`${service.url}/api/v1/tts`, { txt: 'misspelt' })).status).toBe(400);
    await httpCounted(registry, '/api/v1/tts', '400');

    const wav = await fetch(`${service.url}/api/v1/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Recognize me.', format: 'wav-16k' }),
    });
    const audio = Buffer.from(await wav.arrayBuffer());
    expect((await post(`${service.url}/api/v1/stt`, audio, 'audio/wav')).status).toBe(200);
    // Counted once the recognizer went back to the pool, just after the answer.
    await waitForMetric(
      registry,
      'warmline_speech_requests_total',
      { operation: 'recognition', transport: 'http', outcome: 'ok' },
      (v) => v === 1,
    );
    await httpCounted(registry, '/api/v1/stt', '200');
  });
});
