import { EmulatorCounters } from '../control-plane/emulator-stats';
import { EmulatorLogger } from '../emulator-logger';
import { FaultSettings } from '../control-plane/fault-settings';
import { BinaryFrame, TextFrame } from './frame-codec';
import { SpeechVoice } from '../synthesis/speech-voice';
import { SynthesisMemory } from '../recognition/memory/synthesis-memory';

/** What the per-socket protocol handlers share with the server. */
export interface EmulatorServices {
  voice: SpeechVoice;
  /** Recent syntheses, for recognition to know what it hears. */
  memory: SynthesisMemory;
  counters: EmulatorCounters;
  logger: EmulatorLogger;
  faults(): FaultSettings;
  /** True when this turn must fail mid-stream (consumes one `dropMidStreamNext`). */
  takeDropFault(): boolean;
}

/** One socket's side of a protocol. Handlers may throw: the server closes that socket, nothing else. */
export interface ProtocolHandler {
  onText(frame: TextFrame): void;
  onBinary(frame: BinaryFrame): void;
  /** The socket is gone: stop work, release everything. */
  onClose(): void;
}

/** Close codes the service uses and the SDK understands. */
export const CloseCode = {
  normal: 1000,
  /** Invalid payload (bad SSML, unsupported format, malformed message): the SDK reports BadRequestParameters. */
  badRequest: 1007,
  /** Server error: the SDK reports ConnectionFailure. */
  serverError: 1011,
} as const;
