import { VoiceClient, type Recognition } from '../../src/client';
import { byTestId } from '../shared/dom';
import { showConnectionState } from '../shared/connection-status';
import { bindTokenField } from '../shared/token-store';
import { showError, toTypedError, type TypedError } from '../shared/typed-error';
import { HistoryTable } from './history-table';
import { frameLevel, Microphone, MIC_SAMPLE_RATE } from './mic/microphone';
import { RecognitionOutcome } from './mic/recognition-outcome';
import { PcmStreamPlayer } from './pcm-stream-player';
import { readSessionId, writeSessionId } from './session-store';
import { SpeakPanel, TTS_RATE } from './speak-panel';
import { exposeDemoHooks } from './test-hooks';
import { VoicePicker } from './voice-picker';

const ui = {
  token: byTestId<HTMLInputElement>('token'),
  status: byTestId('status'),
  error: byTestId('error'),
  notice: byTestId('notice'),
  upstream: byTestId('upstream'),
  voice: byTestId<HTMLSelectElement>('voice'),
  voiceError: byTestId('voice-error'),
  mic: byTestId<HTMLButtonElement>('mic'),
  micLevel: byTestId('mic-level'),
  micNote: byTestId('mic-note'),
  partial: byTestId('partial'),
  final: byTestId('final'),
  history: byTestId<HTMLTableSectionElement>('history'),
  historyEmpty: byTestId('history-empty'),
  session: byTestId('session'),
};

const player = new PcmStreamPlayer(TTS_RATE);
const history = new HistoryTable(ui.history, ui.historyEmpty, TTS_RATE * 2);
const voices = new VoicePicker(ui.voice, ui.voiceError, ui.upstream);
const micCounters = { framesSent: 0, bytesSent: 0 };
let voicesLoadedFor: string | null = null;

// ------------------------------------------------------------------ connection

const token = bindTokenField(ui.token, () => client.reconnect());
// The page's voice session (same origin): the key is read again on every reconnect, and the session id sent back,
// so a dropped connection (or a reload of the tab) resumes the session with its DEDICATED synthesizer.
const client = new VoiceClient({
  url: '',
  token,
  sessionId: readSessionId(),
  reconnect: true,
  // Websocket first; long-polling only where a proxy blocks websockets.
  socketOptions: {
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
  },
});
client.on('state', (state) => showConnectionState(ui.status, state));
client.on('connectError', (error) => showError(ui.error, error, 'Connection'));
client.on('ready', ({ sessionId, resumed }) => {
  writeSessionId(sessionId);
  showError(ui.error, null);
  ui.session.textContent = `session ${sessionId}`;
  ui.notice.hidden = !resumed;
  ui.notice.textContent = resumed
    ? `Reconnected: session ${sessionId.slice(0, 8)} resumed, its synthesizer is still dedicated to it.`
    : '';
  // Loaded once the key is known to be good, so a wrong key shows one clear error rather than two.
  if (voicesLoadedFor !== token()) {
    voicesLoadedFor = token();
    void voices.load(token());
  }
});

// ------------------------------------------------------------------ speak

const speakPanel = new SpeakPanel(client, player, history, voices);

// ------------------------------------------------------------------ listen

let recognition: Recognition | null = null;
let outcome = new RecognitionOutcome();

const transcript = {
  onPartial: ({ text }: { text: string }) => {
    ui.partial.textContent = text;
  },
  onFinal: ({ text }: { text: string }) => {
    const line = document.createElement('p');
    line.textContent = text;
    ui.final.append(line);
    ui.partial.textContent = '';
  },
  onError: (error: TypedError) => showError(ui.error, error, 'Listen'),
};

function sendFrame(pcm: ArrayBuffer): void {
  if (recognition === null) return;
  recognition.send(pcm);
  outcome.add(pcm);
  micCounters.framesSent++;
  micCounters.bytesSent += pcm.byteLength;
  ui.micLevel.style.transform = `scaleX(${frameLevel(pcm).toFixed(3)})`;
}

const microphone = new Microphone(sendFrame);

/** Starts a recognition; its ack is awaited in the background so no audio waits for it. */
function beginRecognition(): Recognition {
  showError(ui.error, null);
  const session = client.recognize({ sampleRate: MIC_SAMPLE_RATE }, transcript);
  recognition = session;
  outcome = new RecognitionOutcome();
  session.started.then(
    ({ tier }) => {
      ui.micNote.textContent = `Listening (${tier} recognizer). Speak, then stop the microphone.`;
    },
    (error: unknown) => {
      showError(ui.error, toTypedError(error), 'Listen');
      if (microphone.active) void toggleMicrophone();
    },
  );
  return session;
}

async function endRecognition(session: Recognition): Promise<number> {
  ui.partial.textContent = '';
  try {
    const { finals } = await session.stop();
    ui.micNote.textContent = outcome.note(finals);
    return finals;
  } catch (error) {
    showError(ui.error, toTypedError(error), 'Listen');
    return 0;
  } finally {
    if (recognition === session) recognition = null;
  }
}

async function toggleMicrophone(): Promise<void> {
  ui.mic.disabled = true;
  try {
    if (microphone.active) {
      await microphone.stop();
      ui.micLevel.style.transform = 'scaleX(0)';
      setMicButton(false);
      if (recognition !== null) await endRecognition(recognition);
      return;
    }
    if (client.state !== 'connected') {
      showError(ui.error, { code: 'NOT_CONNECTED', message: 'the voice session is not connected yet' });
      return;
    }
    const session = beginRecognition();
    try {
      await microphone.start();
      setMicButton(true);
    } catch (error) {
      session.dispose();
      recognition = null;
      const denied = error instanceof DOMException && error.name === 'NotAllowedError';
      const typed = toTypedError(error, denied ? 'MIC_DENIED' : 'MIC_UNAVAILABLE');
      showError(ui.error, typed, 'Microphone');
    }
  } finally {
    ui.mic.disabled = false;
  }
}

function setMicButton(on: boolean): void {
  ui.mic.setAttribute('aria-pressed', String(on));
  ui.mic.textContent = on ? 'Stop microphone' : 'Start microphone';
}

ui.mic.addEventListener('click', () => void toggleMicrophone());

// ------------------------------------------------------------------ hooks

exposeDemoHooks({
  playback: player.stats,
  playedMs: () => player.playedMs(),
  stream: speakPanel.streamStats,
  mic: micCounters,
  sessionId: () => client.sessionId,
  transcribePcm: async (pcm) => {
    const session = beginRecognition();
    const frameBytes = 1_280;
    for (let offset = 0; offset < pcm.byteLength; offset += frameBytes) {
      sendFrame(pcm.slice(offset, Math.min(pcm.byteLength, offset + frameBytes)));
    }
    return { finals: await endRecognition(session) };
  },
});
