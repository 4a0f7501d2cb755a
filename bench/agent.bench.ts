/**
 * An agent turn: a simulated language model streams a three-sentence reply at 25 tokens/s, and the caller hears it
 *   (a) streamed: every token goes into tts.stream.text as it is generated (tts.stream.start first, end last);
 *   (b) whole: the agent waits for the complete reply, then sends it as one tts.synthesize.
 * Both through warmline, same text, the emulator charging 200 ms per new connection, a new session per turn (so
 * the synthesizer is WARM), interleaved (alternating which goes first) so machine noise hits both alike.
 * Measured from the first token to the first tts.audio at the client. Also: warmline's own time per forwarded
 * piece (received → handed to the Speech SDK, from the gateway), and the streamed words' offsets against the
 * emulator's boundaries for the same text spoken whole.
 *
 *   npm run bench -- agent
 *   AGENT_TURNS=20 npm run bench -- agent      # quicker
 */
import type { TtsWord } from '../src/protocol';
import { VoiceClient } from '../src/client';
import { VoiceMetrics } from '../src/voice/voice-metrics';
import { VoiceSession } from '../src/voice/voice-session';
import { startBenchEmulator } from './support/emulator';
import { printBenchLine, printTable, progress, targetLine } from './support/report';
import { round, roundSummary, summarize } from './support/stats';
import { settleBenchApp, startBenchApp } from './support/voice-app';

const CONNECT_LATENCY_MS = 200;
const TURNS = Number(process.env.AGENT_TURNS ?? 60);
const WARMUP_TURNS = 3;
const TOKENS_PER_SECOND = 25;
const REPLY =
  'Sure, I can help with that. Your order shipped this morning and should arrive on Friday afternoon. ' +
  'Is there anything else I can do for you today?';
const TARGET_AFTER_SENTENCE_MS = 50;
const TARGET_RATIO = 3;
const TARGET_PIECE_MS = 1;
const TARGET_WORD_MS = 20;

/** The reply as a model streams it: word-sized tokens with their leading spaces. */
const TOKENS = REPLY.match(/\s*\S+/g) ?? [];
/** The token that completes the first sentence: when a streaming reply's first sentence is complete. */
const FIRST_SENTENCE_TOKEN = TOKENS.findIndex((token) => /[.!?]$/.test(token));
const TOKEN_GAP_MS = 1000 / TOKENS_PER_SECOND;
/** 16-bit PCM at 24 kHz (the default format). */
const BYTES_PER_MS = 48;

const sleepUntil = (at: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

interface StreamedTurn {
  firstByteMs: number;
  /** When the token completing the first sentence was sent, from the first token. */
  sentenceDoneMs: number;
  tier: string | null;
  words: TtsWord[];
  /** Words received after the audio sent so far had passed their start. */
  lateWords: number;
}

/** (a): tokens into tts.stream.text as they come. */
async function streamedTurn(url: string): Promise<StreamedTurn> {
  const client = await VoiceClient.connect({ url });
  try {
    const words: TtsWord[] = [];
    let firstAudioAt: number | null = null;
    let audioMs = 0;
    let lateWords = 0;
    const stream = client.streamSpeech(
      { words: true },
      {
        onAudio: (chunk) => {
          firstAudioAt ??= performance.now();
          audioMs += chunk.audio.byteLength / BYTES_PER_MS;
        },
        onWord: (word) => {
          if (audioMs > word.offsetMs + 0.5) lateWords++;
          words.push(word);
        },
      },
    );
    const firstTokenAt = performance.now();
    let sentenceDoneAt = firstTokenAt;
    for (let i = 0; i < TOKENS.length; i++) {
      await sleepUntil(firstTokenAt + i * TOKEN_GAP_MS);
      stream.write(TOKENS[i]);
      if (i === FIRST_SENTENCE_TOKEN) sentenceDoneAt = performance.now();
    }
    const ack = await stream.end();
    if (firstAudioAt === null) throw new Error('(a) no audio');
    return {
      firstByteMs: firstAudioAt - firstTokenAt,
      sentenceDoneMs: sentenceDoneAt - firstTokenAt,
      tier: ack.tier,
      words,
      lateWords,
    };
  } finally {
    client.close();
  }
}

/** (b): the whole reply, then tts.synthesize; returns the first byte from the first token, and the words. */
async function wholeTurn(
  url: string,
): Promise<{ firstByteMs: number; tier: string | null; words: TtsWord[] }> {
  const client = await VoiceClient.connect({ url });
  try {
    const firstTokenAt = performance.now();
    let reply = '';
    for (let i = 0; i < TOKENS.length; i++) {
      await sleepUntil(firstTokenAt + i * TOKEN_GAP_MS);
      reply += TOKENS[i];
    }
    let firstAudioAt: number | null = null;
    const words: TtsWord[] = [];
    const ack = await client.synthesize(
      { text: reply, words: true },
      { onAudio: () => (firstAudioAt ??= performance.now()), onWord: (w) => words.push(w) },
    );
    if (firstAudioAt === null) throw new Error('(b) no audio');
    return { firstByteMs: firstAudioAt - firstTokenAt, tier: ack.tier, words };
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  const emulator = await startBenchEmulator('child');
  const app = await startBenchApp({
    speechHost: emulator.url,
    env: { SPEECH_POOL_WARM_SIZE: '2', SESSION_RESUME_GRACE: '0.2' },
  });
  // warmline's own time per piece, as the gateway measures it (received → handed to the SDK), every sample.
  const pieceMs: number[] = [];
  const metrics = app.app.get(VoiceMetrics);
  const observe = metrics.streamPiece.bind(metrics);
  metrics.streamPiece = (ms: number) => {
    pieceMs.push(ms);
    observe(ms);
  };
  // The same span in CPU time: what the piece costs this process, apart from time it was not running at all (a
  // shared machine deschedules it; a garbage collection may pause it).
  const pieceCpuMs: number[] = [];
  const streamText = Object.getOwnPropertyDescriptor(VoiceSession.prototype, 'streamText')?.value as (
    this: VoiceSession,
    requestId: string,
    piece: string,
  ) => void;
  VoiceSession.prototype.streamText = function timed(this: VoiceSession, requestId: string, piece: string) {
    const before = process.cpuUsage();
    try {
      streamText.call(this, requestId, piece);
    } finally {
      const used = process.cpuUsage(before);
      pieceCpuMs.push((used.user + used.system) / 1000);
    }
  };
  await settleBenchApp(app, 30_000);
  await emulator.setFaults({ connectLatencyMs: CONNECT_LATENCY_MS });

  const a: number[] = [];
  const b: number[] = [];
  const afterSentence: number[] = [];
  const wordErrors: number[] = [];
  let notWarm = 0;
  let lateWords = 0;
  let wordCountMismatches = 0;
  const failures: string[] = [];

  for (let turn = -WARMUP_TURNS; turn < TURNS; turn++) {
    const record = turn >= 0;
    if (turn === 0) {
      pieceMs.length = 0;
      pieceCpuMs.length = 0;
    }
    const order = turn % 2 === 0 ? ['a', 'b'] : ['b', 'a'];
    let streamed: StreamedTurn | null = null;
    let whole: Awaited<ReturnType<typeof wholeTurn>> | null = null;
    for (const which of order) {
      await settleBenchApp(app, 10_000);
      try {
        if (which === 'a') streamed = await streamedTurn(app.url);
        else whole = await wholeTurn(app.url);
      } catch (error) {
        failures.push(`(${which}) ${String(error)}`);
      }
    }
    if (!record || streamed === null || whole === null) continue;
    a.push(streamed.firstByteMs);
    b.push(whole.firstByteMs);
    afterSentence.push(streamed.firstByteMs - streamed.sentenceDoneMs);
    if (streamed.tier !== 'warm') notWarm++;
    if (whole.tier !== 'warm') notWarm++;
    lateWords += streamed.lateWords;
    if (streamed.words.length !== whole.words.length) wordCountMismatches++;
    streamed.words.forEach((word, i) => {
      const reference = whole?.words[i];
      if (reference !== undefined) wordErrors.push(Math.abs(word.offsetMs - reference.offsetMs));
    });
    if ((turn + 1) % 10 === 0) progress(`${turn + 1}/${TURNS} turns`);
  }

  const sa = summarize(a);
  const sb = summarize(b);
  const sAfter = summarize(afterSentence);
  const sPiece = summarize(pieceMs);
  const sPieceCpu = summarize(pieceCpuMs);
  const sWord = summarize(wordErrors.length > 0 ? wordErrors : [0]);
  const ratio = sb.p50 / sa.p50;
  const fmt = (s: ReturnType<typeof summarize>) => [round(s.p50), round(s.p95), round(s.p99), round(s.max)];
  printTable(
    `Agent turn: first audio byte from the first token (${TURNS} turns each, ${TOKENS.length} tokens at ` +
      `${TOKENS_PER_SECOND}/s, connect cost ${CONNECT_LATENCY_MS} ms, WARM)`,
    ['', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
    [
      ['(a) streamed: tts.stream.*', ...fmt(sa)],
      ['(b) whole reply, then tts.synthesize', ...fmt(sb)],
      ['(a) after its first sentence was complete', ...fmt(sAfter)],
      ['warmline per forwarded piece (wall)', ...fmt(sPiece)],
      ['warmline per forwarded piece (CPU)', ...fmt(sPieceCpu)],
      ['word offset vs emulator boundary', ...fmt(sWord)],
    ],
  );
  const firstSentenceMs = FIRST_SENTENCE_TOKEN * TOKEN_GAP_MS;
  console.log(
    `first sentence complete at token ${FIRST_SENTENCE_TOKEN + 1} (${round(firstSentenceMs)} ms after the first); ` +
      `pieces timed: ${pieceMs.length}; words compared: ${wordErrors.length}; words after their audio: ` +
      `${lateWords}; turns with a different word count: ${wordCountMismatches}; not WARM: ${notWarm}; ` +
      `failures: ${failures.length}`,
  );
  for (const failure of failures.slice(0, 5)) console.log(`  failure: ${failure}`);
  const afterMet = sAfter.p50 <= TARGET_AFTER_SENTENCE_MS;
  const ratioMet = ratio >= TARGET_RATIO;
  const pieceMet = sPiece.p99 <= TARGET_PIECE_MS;
  const wordMet = sWord.max <= TARGET_WORD_MS && lateWords === 0;
  console.log(
    targetLine(
      `(a) first byte within the first sentence + ${TARGET_AFTER_SENTENCE_MS} ms at p50`,
      afterMet,
      `+${round(sAfter.p50)} ms`,
    ),
  );
  console.log(targetLine(`(b)/(a) >= ${TARGET_RATIO}x at p50`, ratioMet, `${round(ratio)}x`));
  console.log(
    targetLine(
      `warmline per piece <= ${TARGET_PIECE_MS} ms at p99 (wall)`,
      pieceMet,
      `${round(sPiece.p99)} ms; CPU ${round(sPieceCpu.p99)} ms`,
    ),
  );
  console.log(
    targetLine(
      `word offsets within ${TARGET_WORD_MS} ms, none after its audio`,
      wordMet,
      `max ${round(sWord.max)} ms, ${lateWords} late`,
    ),
  );
  printBenchLine({
    bench: 'agent',
    turns: TURNS,
    tokens: TOKENS.length,
    tokensPerSecond: TOKENS_PER_SECOND,
    connectLatencyMs: CONNECT_LATENCY_MS,
    streamedFirstByteMs: roundSummary(sa),
    wholeFirstByteMs: roundSummary(sb),
    afterFirstSentenceMs: roundSummary(sAfter),
    ratioP50: round(ratio),
    pieceMs: roundSummary(sPiece),
    pieceCpuMs: roundSummary(sPieceCpu),
    wordOffsetErrorMs: roundSummary(sWord),
    lateWords,
    notWarm,
    failures: failures.length,
    targets: { afterSentence: afterMet, ratio: ratioMet, piece: pieceMet, words: wordMet },
  });
  await app.close();
  await emulator.close();
  if (failures.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
