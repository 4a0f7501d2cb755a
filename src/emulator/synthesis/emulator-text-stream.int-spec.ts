import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import {
  cancellation,
  eventually,
  recognizeContinuous,
  requestStop,
  silence,
  speak,
  speakSsml,
  startTextStream,
  synthesisFixture,
  TEST_VOICES as VOICES,
  tokens,
} from '../../../test/support/emulator/speech-sdk';
import { parseSsml } from './ssml-parser';
import { SyntheticVoice } from './synthetic-voice';

const TEXT =
  'Thanks for calling the help desk. Your order shipped on Monday, and it should arrive soon. ' +
  'Is there anything else I can do for you?';
const RATE = 16_000;
const TICKS_PER_SAMPLE = 10_000_000 / RATE;

const words = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

async function streamAll(
  synthesizer: sdk.SpeechSynthesizer,
  text: string,
): Promise<sdk.SpeechSynthesisResult> {
  const turn = startTextStream(synthesizer);
  for (const piece of tokens(text)) turn.input.write(piece);
  turn.input.close();
  return turn.result;
}

describe.each(VOICES)('speech emulator text streaming (%s voice)', (voice) => {
  const fixture = synthesisFixture(voice);
  const { synthesizer } = fixture;

  it('speaks text streamed token by token; the audio is recognised back as that text (round trip)', async () => {
    const result = await streamAll(synthesizer(), TEXT);
    expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(result.audioData.byteLength).toBeGreaterThan(RATE * 2 * 3);
    const heard = await recognizeContinuous(fixture.emulator, [
      silence(300),
      result.audioData,
      silence(1000),
    ]);
    expect(words(heard.recognized.map((r) => r.text).join(' '))).toEqual(words(TEXT));
    expect(fixture.emulator.stats()).toMatchObject({ syntheses: 1, recognitions: 1 });
  });

  it('speaks the first sentence as soon as its last piece arrives, while the text stream is still open', async () => {
    const s = synthesizer();
    let firstAudio = false;
    s.synthesizing = () => (firstAudio = true);
    const turn = startTextStream(s);
    for (const piece of tokens('Thanks for calling the help desk.')) turn.input.write(piece);
    await eventually(() => firstAudio, 10_000, 'audio of the first sentence');
    expect(turn.input.isClosed).toBe(false);
    for (const piece of tokens(' Goodbye for now')) turn.input.write(piece);
    turn.input.close();
    expect((await turn.result).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
  });

  it('reports every word of a streamed turn in order, offsets in the turn audio, never after that audio', async () => {
    const s = synthesizer();
    const seen: Array<{ text: string; offset: number; received: number }> = [];
    let received = 0;
    s.synthesizing = (_s, e) => (received += e.result.audioData.byteLength);
    s.wordBoundary = (_s, e) => seen.push({ text: e.text, offset: e.audioOffset, received });
    const result = await streamAll(s, TEXT);
    expect(seen.map((w) => w.text.toLowerCase())).toEqual(words(TEXT));
    for (let i = 0; i < seen.length; i++) {
      const byte = Math.round(seen[i].offset / TICKS_PER_SAMPLE) * 2;
      expect(byte).toBeGreaterThanOrEqual(seen[i].received); // its start was not delivered before the word
      expect(byte).toBeLessThan(result.audioData.byteLength);
      if (i > 0) expect(seen[i].offset).toBeGreaterThan(seen[i - 1].offset);
    }
  });
});

describe('speech emulator text streaming (synthetic voice)', () => {
  const fixture = synthesisFixture('synthetic');
  const { synthesizer } = fixture;

  it('a streamed turn, and an SSML turn, are the same audio, sample for sample, as their text rendered whole', async () => {
    const result = await streamAll(synthesizer(), TEXT);
    const whole = await new SyntheticVoice().render({
      segments: [{ kind: 'text', text: TEXT, voice: undefined, lang: 'en-US' }],
      defaultVoice: undefined,
      defaultLang: 'en-US',
      sampleRate: RATE,
    });
    expect(Buffer.from(result.audioData).equals(Buffer.from(whole.samples.buffer))).toBe(true);

    // An SSML turn too, breaks and voice changes included: streamed sentence by sentence, it is the whole render.
    const doc =
      '<speak version="1.0" xml:lang="en-US"><voice name="en-US-JennyNeural"><break time="300ms"/>One. Two ' +
      'sentences here.</voice><voice name="en-US-GuyNeural">And Guy. <break time="1s"/>Done!</voice></speak>';
    const parsed = parseSsml(doc);
    const spoken = await speakSsml(synthesizer(), doc);
    const rendered = await new SyntheticVoice().render({
      segments: parsed.segments,
      defaultVoice: parsed.voice,
      defaultLang: parsed.lang,
      sampleRate: RATE,
    });
    expect(Buffer.from(spoken.audioData).equals(Buffer.from(rendered.samples.buffer))).toBe(true);
  });

  it("takes the voice from the synthesizer's configuration (the request's context), and refuses an unknown one with 1007", async () => {
    const jenny = synthesizer();
    jenny.properties.setProperty(sdk.PropertyId.SpeechServiceConnection_SynthVoice, 'en-US-JennyNeural');
    const guy = synthesizer();
    guy.properties.setProperty(sdk.PropertyId.SpeechServiceConnection_SynthVoice, 'en-US-GuyNeural');
    const [a, b] = await Promise.all([streamAll(jenny, 'Same words.'), streamAll(guy, 'Same words.')]);
    expect(Buffer.from(a.audioData).equals(Buffer.from(b.audioData))).toBe(false);

    const nobody = synthesizer();
    nobody.properties.setProperty(sdk.PropertyId.SpeechServiceConnection_SynthVoice, 'xx-XX-Nobody');
    const refused = await streamAll(nobody, 'Hello.');
    expect(refused.reason).toBe(sdk.ResultReason.Canceled);
    expect(cancellation(refused).errorDetails).toBe(
      'Unsupported voice xx-XX-Nobody. websocket error code: 1007',
    );
  });

  it('a stop mid-stream ends the turn at once; text still in flight is ignored; the socket serves the next turn', async () => {
    fixture.emulator.setFaults({ realtimeFactor: 1 });
    const s = synthesizer();
    let chunks = 0;
    s.synthesizing = () => chunks++;
    const turn = startTextStream(s);
    for (const piece of tokens('A first sentence that starts the audio.')) turn.input.write(piece);
    await eventually(() => chunks > 0, 10_000, 'first audio');
    await requestStop(s);
    const stopped = await turn.result;
    expect(stopped.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(stopped.audioDuration / 10_000_000).toBeLessThan(1.5);
    s.synthesizing = () => undefined;
    fixture.emulator.setFaults({});
    expect((await speak(s, 'Next one.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(fixture.emulator.stats()).toMatchObject({ connectionsTotal: 1, connectionsOpen: 1, syntheses: 2 });
  });

  it('an empty text stream ends the turn with no audio; SSML and streamed turns alternate on one socket', async () => {
    const s = synthesizer();
    const empty = startTextStream(s);
    empty.input.close();
    const result = await empty.result;
    expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(result.audioData.byteLength).toBe(0);
    expect((await speak(s, 'Whole text.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect((await streamAll(s, 'Streamed text.')).audioData.byteLength).toBeGreaterThan(0);
    expect(fixture.emulator.stats()).toMatchObject({ connectionsTotal: 1, syntheses: 3 });
  });

  it('a text stream past its bound closes with 1007 (BadRequestParameters)', async () => {
    const s = synthesizer();
    const turn = startTextStream(s);
    const piece = `${'word '.repeat(1000)}`;
    for (let i = 0; i < 25; i++) turn.input.write(piece);
    const result = await turn.result;
    expect(result.reason).toBe(sdk.ResultReason.Canceled);
    expect(cancellation(result).ErrorCode).toBe(sdk.CancellationErrorCode.BadRequestParameters);
    expect(cancellation(result).errorDetails).toMatch(/Text stream exceeds 100000 characters/);
  });

  it('serves the v2 endpoint documented for text streaming', async () => {
    const config = sdk.SpeechConfig.fromEndpoint(
      new URL(`${fixture.emulator.url}/cognitiveservices/websocket/v2`),
      'k',
    );
    config.speechSynthesisOutputFormat = sdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm;
    const s = new sdk.SpeechSynthesizer(config, null);
    fixture.keep(s);
    const result = await streamAll(s, 'Over version two.');
    expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(result.audioData.byteLength).toBeGreaterThan(0);
  });

  it('paces streamed audio at realtimeFactor', async () => {
    fixture.emulator.setFaults({ realtimeFactor: 4 });
    const started = Date.now();
    const result = await streamAll(synthesizer(), TEXT);
    const seconds = result.audioDuration / 10_000_000;
    expect(Date.now() - started).toBeGreaterThanOrEqual((seconds / 4) * 1000 - 50);
  });
});
