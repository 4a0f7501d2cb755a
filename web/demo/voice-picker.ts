import { el } from '../shared/dom';
import { ServiceError, showError, toTypedError, type TypedError } from '../shared/typed-error';

export interface VoiceInfo {
  name: string;
  locale: string;
  gender: string;
}

/** Where the speech comes from (GET /api/v1/voices `upstream`). */
export interface UpstreamInfo {
  emulator: boolean;
  emulatorVoice?: 'espeak' | 'synthetic';
}

/**
 * The voice select, filled from GET /api/v1/voices (grouped by locale). Its first option is always the service's
 * default voice, so speaking works even when the list cannot be loaded; the reason is shown under the select.
 */
export class VoicePicker {
  constructor(
    private readonly select: HTMLSelectElement,
    private readonly note: HTMLElement,
    private readonly upstreamNote: HTMLElement,
  ) {}

  get value(): string {
    return this.select.value;
  }

  async load(token: string): Promise<void> {
    try {
      const { voices, upstream } = await fetchVoices(token);
      this.fill(voices);
      showUpstream(this.upstreamNote, upstream);
      showError(this.note, null);
    } catch (error) {
      this.note.classList.add('error');
      showError(this.note, toTypedError(error), 'Voice list unavailable (using the default voice)');
    }
  }

  private fill(voices: VoiceInfo[]): void {
    const selected = this.select.value;
    const byLocale = new Map<string, VoiceInfo[]>();
    for (const voice of [...voices].sort((a, b) => a.name.localeCompare(b.name))) {
      byLocale.set(voice.locale, [...(byLocale.get(voice.locale) ?? []), voice]);
    }
    const groups = [...byLocale.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([locale, list]) =>
        el(
          'optgroup',
          { label: locale },
          ...list.map((v) => el('option', { value: v.name }, `${shortName(v)} · ${v.gender.toLowerCase()}`)),
        ),
      );
    this.select.replaceChildren(el('option', { value: '' }, 'Default voice'), ...groups);
    this.select.value = voices.some((v) => v.name === selected) ? selected : '';
  }
}

/** `en-US-JennyNeural` → `Jenny`. */
function shortName(voice: VoiceInfo): string {
  const rest = voice.name.startsWith(`${voice.locale}-`)
    ? voice.name.slice(voice.locale.length + 1)
    : voice.name;
  return rest.replace(/Neural$/, '') || voice.name;
}

/**
 * Says so when the speech comes from the built-in emulator: its voice and its timings are a stand-in, not a speech
 * service's, so a reader does not take them for what Azure would do.
 */
function showUpstream(note: HTMLElement, upstream: UpstreamInfo | undefined): void {
  note.hidden = upstream?.emulator !== true;
  if (note.hidden) return;
  const voice = upstream?.emulatorVoice === 'espeak' ? 'espeak-ng' : 'synthetic';
  note.replaceChildren(
    el('strong', {}, 'Built-in emulator: '),
    `speech comes from warmline's own speech emulator (${voice} voice), not from Azure, so voices and timings ` +
      'are a stand-in. Set ',
    el('code', {}, 'AZURE_SPEECH_KEY'),
    ' and ',
    el('code', {}, 'AZURE_SPEECH_REGION'),
    ' for the real service.',
  );
}

/** GET /api/v1/voices; failures become typed errors (the service's problem+json, or the HTTP status). */
async function fetchVoices(token: string): Promise<{ voices: VoiceInfo[]; upstream?: UpstreamInfo }> {
  let response: Response;
  try {
    response = await fetch('/api/v1/voices', {
      headers: token === '' ? {} : { Authorization: `Bearer ${token}` },
    });
  } catch (error) {
    throw new ServiceError('NETWORK_ERROR', (error as Error).message);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw ServiceError.from(problemToError(response, body));
  const voices = (body as { voices?: unknown } | null)?.voices;
  if (!Array.isArray(voices)) {
    throw new ServiceError('BAD_RESPONSE', 'the voice list has no "voices" array');
  }
  const upstream = (body as { upstream?: UpstreamInfo }).upstream;
  return { voices: voices as VoiceInfo[], upstream };
}

function problemToError(response: Response, body: unknown): TypedError {
  const problem = (body ?? {}) as { code?: unknown; detail?: unknown; message?: unknown; error?: unknown };
  const code =
    typeof problem.code === 'string'
      ? problem.code
      : (response.statusText || `HTTP ${response.status}`).toUpperCase().replace(/[^A-Z0-9]+/g, '_');
  const message =
    typeof problem.detail === 'string'
      ? problem.detail
      : typeof problem.message === 'string'
        ? problem.message
        : `GET /api/v1/voices answered ${response.status}`;
  return { code, message };
}
