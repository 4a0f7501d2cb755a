import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import {
  cancellation,
  recognizeOnce,
  requestStop,
  speak,
  speakSsml,
  synthesisFixture,
  newSynthesizerForHttp,
  withDeadline,
  TEST_VOICES as VOICES,
} from '../../../test/support/emulator/speech-sdk';

const ssml = (inner: string): string =>
  `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US"><voice name="en-US-JennyNeural">${inner}</voice></speak>`;

describe.each(VOICES)('speech emulator synthesis (%s voice)', (voice) => {
  const fixture = synthesisFixture(voice);
  const { synthesizer } = fixture;

  it('runs several syntheses on one synthesizer over one socket', async () => {
    const s = synthesizer();
    for (const text of ['First sentence.', 'Second one.', 'And a third.']) {
      const result = await speak(s, text);
      expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
      expect(result.audioData.byteLength).toBeGreaterThan(0);
    }
    expect(fixture.emulator.stats()).toMatchObject({ connectionsTotal: 1, connectionsOpen: 1, syntheses: 3 });
  });

  it('pre-connects with Connection.openConnection: the server sees the socket before any synthesis', async () => {
    const s = synthesizer();
    const connection = sdk.Connection.fromSynthesizer(s);
    const connected = new Promise<void>((resolve) => (connection.connected = () => resolve()));
    connection.openConnection();
    await withDeadline(connected, 10_000, 'connection.connected');
    expect(fixture.emulator.stats()).toMatchObject({ connectionsOpen: 1, connectionsTotal: 1, syntheses: 0 });
    expect((await speak(s, 'Warm already.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(fixture.emulator.stats()).toMatchObject({ connectionsTotal: 1, syntheses: 1 });
  });

  it.each([
    ['Raw8Khz16BitMonoPcm', sdk.SpeechSynthesisOutputFormat.Raw8Khz16BitMonoPcm, 8000],
    ['Raw16Khz16BitMonoPcm', sdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm, 16000],
    ['Raw24Khz16BitMonoPcm', sdk.SpeechSynthesisOutputFormat.Raw24Khz16BitMonoPcm, 24000],
    ['Raw48Khz16BitMonoPcm', sdk.SpeechSynthesisOutputFormat.Raw48Khz16BitMonoPcm, 48000],
  ])('%s: the byte count matches the reported duration', async (_name, format, rate) => {
    const result = await speak(synthesizer(format), 'The byte count matches the duration.');
    expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    const seconds = result.audioDuration / 10_000_000;
    expect(seconds).toBeGreaterThan(0.5);
    expect(result.audioData.byteLength).toBe(Math.round(seconds * rate) * 2);
  });

  it('Raw8Khz8BitMonoMULaw: one G.711 byte per sample', async () => {
    const result = await speak(
      synthesizer(sdk.SpeechSynthesisOutputFormat.Raw8Khz8BitMonoMULaw),
      'Telephony.',
    );
    expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    expect(result.audioData.byteLength).toBe(Math.round((result.audioDuration / 10_000_000) * 8000));
  });

  it('RIFF output (Riff24Khz16BitMonoPcm) has a 44-byte WAV header the SDK adds to raw audio', async () => {
    const result = await speak(
      synthesizer(sdk.SpeechSynthesisOutputFormat.Riff24Khz16BitMonoPcm),
      'With a header.',
    );
    const bytes = Buffer.from(result.audioData);
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.toString('ascii', 8, 12)).toBe('WAVE');
    expect(bytes.readUInt32LE(24)).toBe(24000);
    expect(bytes.length - 44).toBe(Math.round((result.audioDuration / 10_000_000) * 24000) * 2);
  });

  it('streams audio in chunks and reports word boundaries', async () => {
    const s = synthesizer();
    const chunks: number[] = [];
    const words: string[] = [];
    s.synthesizing = (_s, e) => chunks.push(e.result.audioData.byteLength);
    s.wordBoundary = (_s, e) => words.push(e.text);
    const result = await speak(s, 'Streamed in many small chunks.');
    expect(chunks.length).toBeGreaterThan(5);
    expect(Math.max(...chunks)).toBeLessThanOrEqual(16000 * 2 * 0.1);
    expect(chunks.reduce((a, b) => a + b, 0)).toBe(result.audioData.byteLength);
    expect(words).toEqual(['Streamed', 'in', 'many', 'small', 'chunks']);
  });

  it('speaks SSML with breaks: the break lengthens the audio', async () => {
    const s = synthesizer();
    const plain = await speakSsml(s, ssml('One two.'));
    const paused = await speakSsml(s, ssml('One<break time="700ms"/>two.'));
    expect(paused.audioDuration - plain.audioDuration).toBeGreaterThan(5_000_000);
  });

  it('malformed SSML cancels with BadRequestParameters (close 1007) and the synthesizer recovers', async () => {
    const s = synthesizer();
    const bad = await speakSsml(s, '<speak version="1.0"><voice name="x">unclosed</speak>');
    expect(bad.reason).toBe(sdk.ResultReason.Canceled);
    const details = cancellation(bad);
    expect(details.ErrorCode).toBe(sdk.CancellationErrorCode.BadRequestParameters);
    expect(details.errorDetails).toMatch(/1007/);
    expect((await speak(s, 'Fine again.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
  });

  it('an output format it cannot produce (opus) cancels with BadRequestParameters', async () => {
    const result = await speak(
      synthesizer(sdk.SpeechSynthesisOutputFormat.Audio24Khz16Bit48KbpsMonoOpus),
      'No opus here.',
    );
    expect(result.reason).toBe(sdk.ResultReason.Canceled);
    expect(cancellation(result).ErrorCode).toBe(sdk.CancellationErrorCode.BadRequestParameters);
  });

  it.each([
    ['Audio24Khz48KBitRateMonoMp3', sdk.SpeechSynthesisOutputFormat.Audio24Khz48KBitRateMonoMp3, 48],
    ['Audio16Khz32KBitRateMonoMp3', sdk.SpeechSynthesisOutputFormat.Audio16Khz32KBitRateMonoMp3, 32],
  ])('%s: MPEG audio frames at the constant bit rate', async (_name, format, kbps) => {
    const result = await speak(synthesizer(format), 'Compressed speech for the web.');
    expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    const bytes = Buffer.from(result.audioData);
    // Every frame starts with an 11-bit sync word; 16 and 24 kHz are MPEG-2 layer III (0xFFF3 with no CRC).
    expect(bytes.readUInt16BE(0) & 0xffe0).toBe(0xffe0);
    expect(bytes[1]).toBe(0xf3);
    const seconds = result.audioDuration / 10_000_000;
    const expected = (seconds * kbps * 1000) / 8;
    expect(bytes.length).toBeGreaterThan(expected * 0.9);
    expect(bytes.length).toBeLessThan(expected * 1.2);
  });

  it('an unknown voice cancels as the service does: close 1007 "Unsupported voice <name>."', async () => {
    const s = synthesizer();
    const result = await speakSsml(
      s,
      '<speak version="1.0" xml:lang="en-US"><voice name="xx-XX-Nobody">hello</voice></speak>',
    );
    expect(result.reason).toBe(sdk.ResultReason.Canceled);
    const details = cancellation(result);
    expect(details.ErrorCode).toBe(sdk.CancellationErrorCode.BadRequestParameters);
    expect(details.errorDetails).toBe('Unsupported voice xx-XX-Nobody. websocket error code: 1007');
    expect((await speak(s, 'A known voice works.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
  });

  it('knows voices by short or long name, in any case; the list is served where getVoicesAsync asks for it', async () => {
    const s = newSynthesizerForHttp(fixture.emulator);
    fixture.keep(s);
    const result = await withDeadline(s.getVoicesAsync(), 10_000, 'getVoicesAsync');
    expect(result.reason).toBe(sdk.ResultReason.VoicesListRetrieved);
    const names = result.voices.map((v) => v.shortName);
    expect(names).toEqual(
      expect.arrayContaining([
        'en-US-JennyNeural',
        'en-US-AvaNeural',
        'en-US-AndrewNeural',
        'en-GB-RyanNeural',
        'en-US-GuyNeural',
        'en-US-AriaNeural',
        'de-DE-KatjaNeural',
      ]),
    );
    const ryan = result.voices.find((v) => v.shortName === 'en-GB-RyanNeural');
    expect(ryan).toMatchObject({ locale: 'en-GB', gender: sdk.SynthesisVoiceGender.Male });
    const spoken = await speakSsml(
      synthesizer(),
      '<speak version="1.0" xml:lang="en-US"><voice name="EN-us-jennyneural">one</voice>' +
        '<voice name="Microsoft Server Speech Text to Speech Voice (en-GB, RyanNeural)">two</voice></speak>',
    );
    expect(spoken.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
  });

  it('synthesized audio is recognised back as its text (round trip)', async () => {
    const result = await speak(synthesizer(), 'Round trip through the emulator.');
    const { result: heard } = await recognizeOnce(fixture.emulator, [
      new ArrayBuffer(8000),
      result.audioData,
      new ArrayBuffer(16000),
    ]);
    expect(heard.reason).toBe(sdk.ResultReason.RecognizedSpeech);
    expect(heard.text).toBe('Round trip through the emulator.');
  });

  it('close() leaves no open socket, with clients still connected', async () => {
    const a = synthesizer();
    const b = synthesizer();
    await Promise.all([speak(a, 'One.'), speak(b, 'Two.')]);
    expect(fixture.emulator.stats().connectionsOpen).toBe(2);
    await fixture.emulator.close();
    expect(fixture.emulator.stats().connectionsOpen).toBe(0);
  });
  it("honours the SDK's stop (synthesis.control): the turn ends at once, without the rest of its audio", async () => {
    fixture.emulator.setFaults({ realtimeFactor: 1 });
    const s = synthesizer();
    const long = ssml('Start.<break time="20s"/>Never spoken.');
    let stopped = false;
    s.synthesizing = () => {
      if (stopped) return;
      stopped = true;
      void requestStop(s);
    };
    const result = await speakSsml(s, long, 10_000);
    expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    // 16 kHz, 16-bit: the whole turn would be over 640,000 bytes.
    expect(result.audioData.byteLength).toBeLessThan(16_000 * 2 * 5);
    s.synthesizing = () => undefined;
    expect((await speak(s, 'Next.')).reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
  });
});
