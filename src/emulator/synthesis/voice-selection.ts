import { EmulatorLogger } from '../emulator-logger';
import { detectEspeak, EspeakInstallation } from './espeak-process';
import { EspeakVoice } from './espeak-voice';
import { renderDocument } from './speech-plan';
import { RenderedSegment, RenderedSpeech, RenderRequest, SpeechUnit, SpeechVoice } from './speech-voice';
import { SyntheticVoice } from './synthetic-voice';

export type VoiceMode = 'auto' | 'espeak' | 'synthetic';

let detection: Promise<EspeakInstallation | undefined> | undefined;
let reportedMissing = false;

/** espeak-ng is looked for once per process. */
export function findEspeak(): Promise<EspeakInstallation | undefined> {
  detection ??= detectEspeak(process.env.ESPEAK_NG_PATH || 'espeak-ng');
  return detection;
}

/** espeak first; if a unit's render fails (crash, timeout), that unit is spoken by the synthetic voice. */
class EspeakWithFallback implements SpeechVoice {
  readonly kind = 'espeak' as const;
  readonly leadMs: number;
  readonly tailMs: number;
  private warned = false;

  constructor(
    private readonly espeak: EspeakVoice,
    private readonly fallback: SyntheticVoice,
    private readonly logger: EmulatorLogger,
  ) {
    this.leadMs = espeak.leadMs;
    this.tailMs = espeak.tailMs;
  }

  render(request: RenderRequest): Promise<RenderedSpeech> {
    return renderDocument(this, request);
  }

  async renderUnit(unit: SpeechUnit, sampleRate: number, context: number): Promise<RenderedSegment> {
    try {
      return await this.espeak.renderUnit(unit, sampleRate);
    } catch (e) {
      if (!this.warned) {
        this.warned = true;
        this.logger.warn('espeak-ng failed; using the synthetic voice for such requests', {
          error: String(e),
        });
      }
      return this.fallback.renderUnit(unit, sampleRate, context);
    }
  }
}

/**
 * `auto`: espeak-ng when installed, else the synthetic voice (logged once per process). `espeak`: fails when
 * espeak-ng is missing, so an explicit choice never silently degrades. `synthetic`: never runs espeak-ng.
 */
export async function selectVoice(mode: VoiceMode, logger: EmulatorLogger): Promise<SpeechVoice> {
  if (mode === 'synthetic') return new SyntheticVoice();
  const installation = await findEspeak();
  if (!installation) {
    if (mode === 'espeak') throw new Error("voice 'espeak' requested, but espeak-ng was not found on PATH");
    if (!reportedMissing) {
      reportedMissing = true;
      logger.warn('espeak-ng is not installed: the speech emulator speaks with its synthetic voice');
    }
    return new SyntheticVoice();
  }
  return new EspeakWithFallback(new EspeakVoice(installation), new SyntheticVoice(), logger);
}
