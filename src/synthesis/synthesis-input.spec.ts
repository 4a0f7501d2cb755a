import { SpeechError } from '../speech/speech-error';
import { maxAudioBytesFor } from './audio-limits';
import { ESTIMATE_MS_PER_CHARACTER } from './ssml-analysis';
import { prepareSsml, type InputChecks } from './synthesis-input';

const checks: InputChecks = { limits: { maxAudioMs: 60_000, maxAudioBytes: 1_000_000 } };

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(SpeechError);
    expect((error as SpeechError).code).toBe('BAD_REQUEST');
    return (error as SpeechError).message;
  }
  throw new Error('expected a BAD_REQUEST');
}

describe('prepareSsml', () => {
  it('turns text into escaped SSML for the voice', () => {
    expect(prepareSsml({ text: 'a < b', voice: 'de-DE-KatjaNeural', format: 'pcm-16k' }, checks)).toBe(
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="de-DE">' +
        '<voice name="de-DE-KatjaNeural">a &lt; b</voice></speak>',
    );
  });

  it.each(['hi\u0000', 'hi\u0001', 'a\u000bb', '\ufffe', '\uffff'])(
    'refuses text with a character XML does not allow (%j)',
    (text) => {
      expect(refusal(() => prepareSsml({ text, voice: 'v', format: 'pcm-16k' }, checks))).toMatch(
        /^text contains U\+[0-9A-F]{4} at index \d+, a character XML 1.0 does not allow/,
      );
    },
  );

  it('refuses malformed SSML and SSML asking for more audio than the limits', () => {
    expect(refusal(() => prepareSsml({ ssml: '<speak>', voice: 'v', format: 'pcm-16k' }, checks))).toMatch(
      /not well-formed/,
    );
    const long = `<speak>${'<break time="20s"/>'.repeat(4)}</speak>`;
    expect(refusal(() => prepareSsml({ ssml: long, voice: 'v', format: 'pcm-16k' }, checks))).toMatch(
      /about 80 s of audio .*limit is 60 s/,
    );
    // Within the duration, over the size at 48 kHz: 30 s x 96 bytes/ms.
    const half = `<speak>${'<break time="15s"/>'.repeat(2)}</speak>`;
    expect(prepareSsml({ ssml: half, voice: 'v', format: 'pcm-16k' }, checks)).toBe(half);
    expect(refusal(() => prepareSsml({ ssml: half, voice: 'v', format: 'pcm-48k' }, checks))).toMatch(
      /2880000 bytes of pcm-48k audio; the limit is 1000000 bytes/,
    );
  });

  it('refuses text whose estimate exceeds the duration limit', () => {
    const chars = Math.floor(60_000 / ESTIMATE_MS_PER_CHARACTER) + 1;
    expect(
      refusal(() => prepareSsml({ text: 'a'.repeat(chars), voice: 'v', format: 'pcm-16k' }, checks)),
    ).toMatch(/limit is 60 s/);
  });

  it('refuses voices the upstream does not have, in text and in SSML', () => {
    const known = { ...checks, knownVoice: (name: string) => name === 'en-US-AvaNeural' };
    expect(prepareSsml({ text: 'hi', voice: 'en-US-AvaNeural', format: 'pcm-16k' }, known)).toContain(
      'AvaNeural',
    );
    expect(
      refusal(() => prepareSsml({ text: 'hi', voice: 'en-US-NoSuchNeural', format: 'pcm-16k' }, known)),
    ).toBe('unknown voice "en-US-NoSuchNeural"; the upstream has no such voice');
    const ssml = '<speak><voice name="en-US-AvaNeural">a</voice><voice name="xx-XX-Nope">b</voice></speak>';
    expect(refusal(() => prepareSsml({ ssml, voice: 'v', format: 'pcm-16k' }, known))).toMatch(/xx-XX-Nope/);
  });
});

describe('maxAudioBytesFor', () => {
  it('is the lower of the size bound and the duration bound in the format', () => {
    expect(maxAudioBytesFor('pcm-16k', { maxAudioMs: 1_000, maxAudioBytes: 1_000_000 })).toBe(32_000);
    expect(maxAudioBytesFor('pcm-48k', { maxAudioMs: 600_000, maxAudioBytes: 64 * 1024 * 1024 })).toBe(
      57_600_000,
    );
    expect(maxAudioBytesFor('pcm-16k', { maxAudioMs: 600_000, maxAudioBytes: 5_000 })).toBe(5_000);
  });
});

describe('prepareSsml at a speaking rate', () => {
  it('speaks text at the rate in one step, and estimates its audio at that rate', () => {
    const checks: InputChecks = { limits: { maxAudioMs: 60_000, maxAudioBytes: 10_000_000 } };
    const ssml = prepareSsml(
      { text: 'a & b', voice: 'en-GB-RyanNeural', format: 'pcm-16k', speed: 1.5 },
      checks,
    );
    expect(ssml).toContain('<prosody rate="1.5">a &amp; b</prosody>');
    // 600 characters: 36 s at the normal rate, 72 s at half speed (over the 60 s limit), 24 s at 1.5.
    const text = 'a'.repeat(600);
    expect(prepareSsml({ text, voice: 'v', format: 'pcm-16k' }, checks)).not.toContain('prosody');
    expect(refusal(() => prepareSsml({ text, voice: 'v', format: 'pcm-16k', speed: 0.5 }, checks))).toMatch(
      /about 72 s of audio/,
    );
    // OpenAI's slowest speed is clamped to the slowest rate the voices speak.
    expect(refusal(() => prepareSsml({ text, voice: 'v', format: 'pcm-16k', speed: 0.25 }, checks))).toMatch(
      /about 72 s of audio/,
    );
  });

  it('names the field the client sent in a refusal', () => {
    expect(
      refusal(() =>
        prepareSsml({ text: 'a\u0000', voice: 'v', format: 'pcm-16k', textField: 'input' }, checks),
      ),
    ).toMatch(/^input contains U\+0000/);
  });
});
