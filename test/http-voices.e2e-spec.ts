import { expect } from '@jest/globals';
import { startHttpSpeechApp, type HttpSpeechApp } from './support/app/http-speech-app';

jest.setTimeout(60_000);

describe('GET /api/v1/voices and the OpenAPI document (e2e)', () => {
  let service: HttpSpeechApp;

  beforeAll(async () => {
    service = await startHttpSpeechApp();
  });
  afterAll(() => service.close());

  it("lists the upstream's voices", async () => {
    const response = await fetch(`${service.url}/api/v1/voices`);
    expect(response.status).toBe(200);
    const { voices, upstream } = (await response.json()) as {
      voices: Array<{ name: string; locale: string; gender: string; styles: string[] }>;
      upstream: unknown;
    };
    // An emulator reached by AZURE_SPEECH_HOST is a speech host like any other: not the built-in one.
    expect(upstream).toEqual({ emulator: false });
    expect(voices.length).toBeGreaterThan(3);
    expect(voices).toContainEqual({
      name: 'en-US-JennyNeural',
      locale: 'en-US',
      gender: 'Female',
      styles: expect.arrayContaining(['cheerful', 'newscast']),
    });
    for (const voice of voices)
      expect(voice).toEqual({
        name: expect.any(String),
        locale: expect.any(String),
        gender: expect.any(String),
        styles: expect.arrayContaining([]),
      });
  });

  it('refuses a voice not in that list up front, without an upstream turn', async () => {
    const before = service.emulator.stats();
    const response = await fetch(`${service.url}/v1/audio/speech`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'tts-1', voice: 'de-DE-NobodyNeural', input: 'Hallo.' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      code: 'BAD_REQUEST',
      detail: expect.stringMatching(/de-DE-NobodyNeural/),
    });
    expect(service.emulator.stats().syntheses).toBe(before.syntheses);
  });

  it('documents every route with its request and response schemas', async () => {
    const document = (await (await fetch(`${service.url}/api/docs-json`)).json()) as {
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, unknown> };
            responses: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
      components: { schemas: Record<string, unknown> };
    };
    const tts = document.paths['/api/v1/tts'].post;
    expect(tts.requestBody?.content['application/json']).toMatchObject({
      schema: {
        properties: {
          text: expect.any(Object),
          ssml: expect.any(Object),
          voice: expect.any(Object),
          format: { enum: expect.arrayContaining(['wav-24k', 'mp3-24k', 'mulaw-8k']) },
        },
      },
    });
    expect(Object.keys(tts.responses['200'].content ?? {})).toEqual(
      expect.arrayContaining(['audio/wav', 'audio/mpeg']),
    );
    for (const status of ['400', '401', '429', '503']) {
      expect(tts.responses[status].content?.['application/problem+json']).toEqual({
        schema: { $ref: '#/components/schemas/ProblemDetailsDto' },
      });
    }
    const stt = document.paths['/api/v1/stt'].post;
    expect(Object.keys(stt.requestBody?.content ?? {})).toEqual(['audio/wav', 'audio/L16']);
    expect(stt.responses['200'].content?.['application/json']).toEqual({
      schema: { $ref: '#/components/schemas/SttResponseDto' },
    });
    expect(stt.responses).toHaveProperty('413');
    expect(document.paths['/api/v1/voices'].get.responses['200'].content?.['application/json']).toBeDefined();
    const speech = document.paths['/v1/audio/speech'].post;
    expect(speech.requestBody?.content['application/json']).toMatchObject({
      schema: {
        required: ['model', 'input', 'voice'],
        properties: {
          response_format: { enum: ['mp3', 'opus', 'aac', 'flac', 'wav', 'pcm'] },
          stream_format: { enum: ['audio', 'sse'] },
        },
      },
    });
    expect(document.paths['/v1/models'].get.responses['200'].content?.['application/json']).toBeDefined();
    expect(
      document.paths['/v1/audio/voices'].get.responses['200'].content?.['application/json'],
    ).toBeDefined();
    const transcriptions = document.paths['/v1/audio/transcriptions'].post;
    expect(transcriptions.requestBody?.content['multipart/form-data']).toBeDefined();
    expect(transcriptions.responses['200'].content?.['application/json']).toBeDefined();
    expect(document.components.schemas).toHaveProperty('ProblemDetailsDto');
  });
});
