import { EmulatorLogger } from '../emulator-logger';
import { selectVoice } from './voice-selection';

describe('selectVoice without espeak-ng', () => {
  const original = process.env.ESPEAK_NG_PATH;
  beforeAll(() => {
    process.env.ESPEAK_NG_PATH = '/nonexistent/espeak-ng'; // detection runs once per process (module), here first
  });
  afterAll(() => {
    if (original === undefined) delete process.env.ESPEAK_NG_PATH;
    else process.env.ESPEAK_NG_PATH = original;
  });

  it('auto falls back to the synthetic voice and says so once', async () => {
    const warnings: string[] = [];
    const logger: EmulatorLogger = {
      debug: () => undefined,
      info: () => undefined,
      warn: (m) => warnings.push(m),
    };
    expect((await selectVoice('auto', logger)).kind).toBe('synthetic');
    expect((await selectVoice('auto', logger)).kind).toBe('synthetic');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/espeak-ng is not installed/);
  });

  it('an explicit espeak request fails; synthetic never needs it', async () => {
    const logger: EmulatorLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
    await expect(selectVoice('espeak', logger)).rejects.toThrow(/espeak-ng was not found/);
    expect((await selectVoice('synthetic', logger)).kind).toBe('synthetic');
  });
});
