import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import { RunningEmulator, startEmulator } from '..';
import {
  closeClient,
  newSynthesizer,
  recognizeContinuous,
  recognizeOnce,
  silence,
  speak,
  speakSsml,
  speechConfig,
  whiteNoise,
  withDeadline,
  TEST_VOICES as VOICES,
} from '../../../test/support/emulator/speech-sdk';
import { throughCapturePath } from '../../../test/support/emulator/capture-path';

describe.each(VOICES)('speech emulator recognition (%s voice)', (voice) => {
  let emulator: RunningEmulator;

  beforeEach(async () => {
    emulator = await startEmulator({ port: 0, voice });
  });

  afterEach(async () => {
    await emulator.close();
  });

  async function synthesize(
    texts: string[],
    format = sdk.SpeechSynthesisOutputFormat.Raw16Khz16BitMonoPcm,
  ): Promise<ArrayBuffer[]> {
    const synthesizer = newSynthesizer(emulator, format);
    try {
      const audio: ArrayBuffer[] = [];
      for (const text of texts) audio.push((await speak(synthesizer, text)).audioData);
      return audio;
    } finally {
      await closeClient(synthesizer);
    }
  }

  it('continuous: recognises each synthesized utterance from a push stream, with growing partials', async () => {
    const [first, second] = await synthesize(['Good morning, everyone.', 'See you tomorrow.']);
    const log = await recognizeContinuous(
      emulator,
      [silence(300), first, silence(1000), second, silence(800)],
      { detailed: true },
    );

    expect(log.recognized.map((r) => [sdk.ResultReason[r.reason], r.text])).toEqual([
      ['RecognizedSpeech', 'Good morning, everyone.'],
      ['RecognizedSpeech', 'See you tomorrow.'],
    ]);
    expect(log.canceled.map((c) => c.reason)).toEqual([sdk.CancellationReason.EndOfStream]);
    expect(log.speechStarts).toHaveLength(2);
    // Offsets are in 100 ns ticks: the first utterance starts after the 300 ms of silence, the second after it.
    const [a, b] = log.recognized;
    expect(a.offset).toBeGreaterThanOrEqual(2_800_000);
    expect(a.offset).toBeLessThan(5_000_000);
    expect(b.offset).toBeGreaterThan(a.offset + a.duration + 9_000_000);
    expect(a.duration).toBeGreaterThan(5_000_000);

    const detailed = JSON.parse(
      a.properties.getProperty(sdk.PropertyId.SpeechServiceResponse_JsonResult),
    ) as {
      NBest: Array<{ Lexical: string; Display: string }>;
    };
    expect(detailed.NBest[0]).toMatchObject({
      Lexical: 'good morning everyone',
      Display: 'Good morning, everyone.',
    });

    expect(log.recognizing.length).toBeGreaterThan(0);
    for (const partial of log.recognizing) {
      expect(['good morning everyone', 'see you tomorrow'].some((t) => t.startsWith(partial))).toBe(true);
    }
    expect(emulator.stats()).toMatchObject({ recognitions: 1, syntheses: 2 });
  });

  it('single-shot: recognizeOnceAsync answers with the synthesized text', async () => {
    const [audio] = await synthesize(['A single shot.']);
    const { result } = await recognizeOnce(emulator, [silence(200), audio, silence(1000)]);
    expect(result.reason).toBe(sdk.ResultReason.RecognizedSpeech);
    expect(result.text).toBe('A single shot.');
  });

  it('a pre-connected recognizer (Connection.openConnection) recognises over the socket it opened, in one turn', async () => {
    const [audio, more] = await synthesize(['Warm and ready.', 'Second to none.']);
    const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1));
    const recognizer = new sdk.SpeechRecognizer(
      speechConfig(emulator),
      sdk.AudioConfig.fromStreamInput(push),
    );
    try {
      const connection = sdk.Connection.fromRecognizer(recognizer);
      const connected = new Promise<void>((resolve) => (connection.connected = () => resolve()));
      connection.openConnection();
      await withDeadline(connected, 10_000, 'connection.connected');
      const before = emulator.stats().connectionsTotal;
      const texts: string[] = [];
      recognizer.recognized = (_s, e) => texts.push(e.result.text);
      const stopped = new Promise<void>((resolve) => (recognizer.sessionStopped = () => resolve()));
      recognizer.startContinuousRecognitionAsync();
      // Audio arrives in small pieces, as it would from a live session.
      for (const chunk of [silence(300), audio, silence(1000), more, silence(900)]) {
        for (let i = 0; i < chunk.byteLength; i += 3200) push.write(chunk.slice(i, i + 3200));
      }
      push.close();
      await withDeadline(stopped, 15_000, 'sessionStopped');
      // It connected to the interactive path before its mode was known; speech.config said "conversation", so both
      // phrases come in one continuous turn.
      expect(texts).toEqual(['Warm and ready.', 'Second to none.']);
      expect(emulator.stats()).toMatchObject({ connectionsTotal: before, recognitions: 1 });
      await withDeadline(
        new Promise<void>((resolve) => recognizer.stopContinuousRecognitionAsync(resolve, () => resolve())),
        15_000,
        'stop',
      );
    } finally {
      await closeClient(recognizer);
    }
  });

  it('works at 8 kHz too (same rate in and out)', async () => {
    const [audio] = await synthesize(
      ['Telephone quality.'],
      sdk.SpeechSynthesisOutputFormat.Raw8Khz16BitMonoPcm,
    );
    const { result } = await recognizeOnce(emulator, [silence(200, 8000), audio, silence(1000, 8000)], {
      rate: 8000,
    });
    expect(result.text).toBe('Telephone quality.');
  });

  it('NoMatch for noise; never invents words', async () => {
    const log = await recognizeContinuous(emulator, [silence(300), whiteNoise(1200), silence(1000)]);
    expect(log.recognized.map((r) => r.reason)).toEqual([sdk.ResultReason.NoMatch]);
    expect(log.recognized[0].text ?? '').toBe('');
    expect(log.recognizing).toEqual([]);
  });

  it('NoMatch for silence, and for audio synthesized at another rate', async () => {
    const { result: quiet } = await recognizeOnce(emulator, [silence(1500)]);
    expect(quiet.reason).toBe(sdk.ResultReason.NoMatch);
    const [audio24k] = await synthesize(
      ['Wrong rate.'],
      sdk.SpeechSynthesisOutputFormat.Raw24Khz16BitMonoPcm,
    );
    const { result: other } = await recognizeOnce(emulator, [silence(200), audio24k, silence(1000)]);
    expect(other.reason).toBe(sdk.ResultReason.NoMatch);
  });

  it("single-shot with an initial silence timeout ends with the SDK's initial-silence result", async () => {
    const [audio] = await synthesize(['Too late.']);
    const config = speechConfig(emulator);
    config.setProperty(
      sdk.PropertyId[sdk.PropertyId.SpeechServiceConnection_InitialSilenceTimeoutMs],
      '1000',
    );
    const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1));
    for (const chunk of [silence(1500), audio, silence(500)]) push.write(chunk.slice(0));
    push.close();
    const recognizer = new sdk.SpeechRecognizer(config, sdk.AudioConfig.fromStreamInput(push));
    try {
      const result = await withDeadline(
        new Promise<sdk.SpeechRecognitionResult>((resolve, reject) =>
          recognizer.recognizeOnceAsync(resolve, (e) => reject(new Error(e))),
        ),
        15_000,
        'recognizeOnceAsync',
      );
      expect(result.reason).toBe(sdk.ResultReason.NoMatch);
      expect(sdk.NoMatchDetails.fromResult(result).reason).toBe(sdk.NoMatchReason.InitialSilenceTimeout);
    } finally {
      await closeClient(recognizer);
    }
  });

  it('detailed results carry word timings and the continuous language-ID result the SDK parses', async () => {
    const synthesizer = newSynthesizer(emulator);
    let german: ArrayBuffer;
    try {
      const ssml =
        '<speak version="1.0" xml:lang="de-DE"><voice name="de-DE-ConradNeural">Guten Abend zusammen.</voice></speak>';
      german = (await speakSsml(synthesizer, ssml)).audioData;
    } finally {
      await closeClient(synthesizer);
    }
    const config = speechConfig(emulator);
    config.requestWordLevelTimestamps();
    const languages = sdk.AutoDetectSourceLanguageConfig.fromLanguages(['en-US', 'de-DE']);
    languages.mode = sdk.LanguageIdMode.Continuous;
    const push = sdk.AudioInputStream.createPushStream(sdk.AudioStreamFormat.getWaveFormatPCM(16000, 16, 1));
    for (const chunk of [silence(400), german, silence(900)]) push.write(chunk.slice(0));
    push.close();
    const recognizer = sdk.SpeechRecognizer.FromConfig(
      config,
      languages,
      sdk.AudioConfig.fromStreamInput(push),
    );
    const results: sdk.SpeechRecognitionResult[] = [];
    try {
      recognizer.recognized = (_s, e) => results.push(e.result);
      const stopped = new Promise<void>((resolve) => (recognizer.sessionStopped = () => resolve()));
      recognizer.startContinuousRecognitionAsync();
      await withDeadline(stopped, 15_000, 'sessionStopped');
    } finally {
      await closeClient(recognizer);
    }
    expect(results.map((r) => r.text)).toEqual(['Guten Abend zusammen.']);
    expect(sdk.AutoDetectSourceLanguageResult.fromResult(results[0]).language).toBe('de-DE');
    const json = JSON.parse(
      results[0].properties.getProperty(sdk.PropertyId.SpeechServiceResponse_JsonResult),
    ) as {
      NBest: Array<{ Words: Array<{ Word: string; Offset: number; Duration: number }> }>;
    };
    const words = json.NBest[0].Words;
    expect(words.map((w) => w.Word)).toEqual(['guten', 'abend', 'zusammen']);
    expect(words[0].Offset).toBeGreaterThanOrEqual(4_000_000); // after the 400 ms of silence, in ticks
    for (let i = 1; i < words.length; i++) expect(words[i].Offset).toBeGreaterThan(words[i - 1].Offset);
  });

  it('recognises speech synthesized at 24 kHz after a 48 kHz playback and a 16 kHz capture', async () => {
    const [audio24k] = await synthesize(
      ['Across the rates.'],
      sdk.SpeechSynthesisOutputFormat.Raw24Khz16BitMonoPcm,
    );
    const captured = throughCapturePath(new Int16Array(audio24k.slice(0)), 24000, {
      deviceRate: 48000,
      outputRate: 16000,
      gainDb: -9,
      snrDb: 25,
    });
    const { result } = await recognizeOnce(emulator, [silence(300), captured.slice().buffer, silence(1000)]);
    expect(result.text).toBe('Across the rates.');
  });
});
