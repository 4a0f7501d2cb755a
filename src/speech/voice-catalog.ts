import { redactSecrets, type SpeechTarget } from './speech-target';
import { requestVoiceList } from './voice-list-request';

export interface VoiceSummary {
  /** The short name SSML uses, e.g. `en-US-JennyNeural`. */
  name: string;
  locale: string;
  gender: 'Female' | 'Male' | 'Neutral' | 'Unknown';
  /** The speaking styles the voice takes (`<mstts:express-as style>`); empty for most voices. */
  styles: string[];
}

export interface VoiceCatalogOptions {
  target: SpeechTarget;
  /** Longest load() waits for the list. */
  timeoutMs?: number;
}

export type VoiceCatalogState =
  { status: 'unloaded' } | { status: 'loaded'; voices: number } | { status: 'unavailable'; reason: string };

/**
 * The upstream's voices, listed once from the service's `voices/list` route, so a request for a voice the upstream does
 * not have is refused up front instead of spending a connection on it. When the upstream cannot list its voices
 * (some Speech containers, a network problem at start-up), the catalog cannot tell: `has()` answers undefined
 * and the upstream decides.
 */
export class VoiceCatalog {
  private state: VoiceCatalogState = { status: 'unloaded' };
  private voices: VoiceSummary[] = [];
  /** Short and long names, lower-cased: the service matches voice names in either form. */
  private readonly names = new Set<string>();
  private loading: Promise<VoiceCatalogState> | null = null;

  constructor(private readonly options: VoiceCatalogOptions) {}

  get status(): VoiceCatalogState {
    return this.state;
  }

  /** Fetches the list, once; later calls return the first outcome. Never rejects. */
  load(): Promise<VoiceCatalogState> {
    this.loading ??= this.fetch();
    return this.loading;
  }

  /**
   * Whether the upstream has a voice by this name (short `en-US-JennyNeural` or long `Microsoft Server Speech
   * Text to Speech Voice (en-US, JennyNeural)`, any case); undefined until a list was loaded.
   */
  has(name: string): boolean | undefined {
    if (this.state.status !== 'loaded') return undefined;
    return this.names.has(name.trim().toLowerCase());
  }

  /** Every voice, sorted by name; empty until a list was loaded. */
  list(): VoiceSummary[] {
    return this.voices.map((voice) => ({ ...voice, styles: [...voice.styles] }));
  }

  /** The styles of the voice by this short name (any case); undefined when no list was loaded or no such voice. */
  stylesOf(name: string): string[] | undefined {
    const key = name.trim().toLowerCase();
    const voice = this.voices.find((entry) => entry.name.toLowerCase() === key);
    return voice === undefined ? undefined : [...voice.styles];
  }

  private async fetch(): Promise<VoiceCatalogState> {
    const { target } = this.options;
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      const listed = await requestVoiceList(target, deadline.signal);
      this.voices = listed
        .map((voice) => ({
          name: voice.ShortName,
          locale: voice.Locale,
          gender: genderName(voice.Gender),
          styles: (voice.StyleList ?? []).filter((style) => typeof style === 'string'),
        }))
        .sort((a, b) => a.name.localeCompare(b.name));
      for (const voice of listed) {
        for (const name of [voice.ShortName, voice.Name]) if (name) this.names.add(name.toLowerCase());
      }
      this.state = { status: 'loaded', voices: this.voices.length };
    } catch (error) {
      const message = deadline.signal.aborted
        ? `no voice list within ${timeoutMs} ms`
        : error instanceof Error
          ? error.message
          : String(error);
      this.state = { status: 'unavailable', reason: redactSecrets(message, target) };
    } finally {
      clearTimeout(timer);
    }
    return this.state;
  }
}

function genderName(gender: string | undefined): VoiceSummary['gender'] {
  switch (gender) {
    case 'Female':
    case 'Male':
    case 'Neutral':
      return gender;
    default:
      return 'Unknown';
  }
}
