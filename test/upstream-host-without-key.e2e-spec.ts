import { expect } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../src/emulator';
import { startRealService, type RealService } from './support/app/real-service';

jest.setTimeout(60_000);

/** An on-prem Speech container, or the standalone emulator, reached by AZURE_SPEECH_HOST and no key. */
describe('a Speech host without a key (e2e)', () => {
  let emulator: RunningEmulator;
  let service: RealService;

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    service = await startRealService({
      AZURE_SPEECH_HOST: emulator.url,
      SPEECH_EMULATOR: 'off',
      SPEECH_POOL_WARM_SIZE: '1',
    });
  });
  afterAll(async () => {
    await service?.close();
    await emulator?.close();
  });

  it('is ready and lists the voices', async () => {
    expect((await fetch(`${service.url}/health/ready`)).status).toBe(200);
    const response = await fetch(`${service.url}/api/v1/voices`);
    expect(response.status).toBe(200);
    const { voices } = (await response.json()) as { voices: Array<{ name: string }> };
    expect(voices.map((v) => v.name)).toContain('en-US-JennyNeural');
  });

  it('synthesizes, and recognizes what it synthesized', async () => {
    const text = 'A host without a key serves every route.';
    const tts = await fetch(`${service.url}/api/v1/tts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text, format: 'wav-16k' }),
    });
    expect(tts.status).toBe(200);
    const wav = Buffer.from(await tts.arrayBuffer());
    const stt = await fetch(`${service.url}/api/v1/stt?language=en-US`, {
      method: 'POST',
      headers: { 'content-type': 'audio/wav' },
      body: wav,
    });
    expect(stt.status).toBe(200);
    expect(await stt.json()).toMatchObject({ text });
  });
});
