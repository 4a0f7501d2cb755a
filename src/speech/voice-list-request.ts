import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { HttpsProxyAgent } from 'https-proxy-agent';
import { initialToken, type ProxySettings, type SpeechTarget } from './speech-target';

/** One voice as the service's `voices/list` answers it (the fields warmline reads). */
export interface ListedVoice {
  Name?: string;
  ShortName: string;
  Locale: string;
  Gender?: string;
  /** Speaking styles (`<mstts:express-as style>`) the voice has. */
  StyleList?: string[];
}

/**
 * Where the target lists its voices: the region's TTS host, a custom domain's `/tts` prefix, or the host's own
 * root (Speech containers and the emulator).
 */
export function voiceListUrl(target: SpeechTarget): URL {
  if (target.kind === 'azure') {
    return new URL(`https://${target.region}.tts.speech.microsoft.com/cognitiveservices/voices/list`);
  }
  const base = new URL(target.url.replace(/^ws(s?):/i, 'http$1:'));
  const prefix = target.kind === 'endpoint' ? '/tts' : '';
  return new URL(`${base.pathname.replace(/\/+$/, '')}${prefix}/cognitiveservices/voices/list`, base);
}

/**
 * The credential header the SDK would send: the key, the bearer token, or nothing at all. (The SDK's own REST
 * call sends `Authorization: undefined` when there is neither, which Node refuses: a host without a key could not
 * list its voices.)
 */
export function voiceListHeaders(target: SpeechTarget): Record<string, string> {
  if (target.key) return { 'Ocp-Apim-Subscription-Key': target.key };
  const token = initialToken(target);
  return token === undefined ? {} : { Authorization: `Bearer ${token}` };
}

function proxyAgent(proxy: ProxySettings): HttpsProxyAgent<string> {
  const url = new URL(`http://${proxy.host.includes(':') ? `[${proxy.host}]` : proxy.host}:${proxy.port}`);
  if (proxy.username) {
    url.username = encodeURIComponent(proxy.username);
    url.password = encodeURIComponent(proxy.password ?? '');
  }
  return new HttpsProxyAgent(url.toString());
}

/**
 * GETs the voice list over plain node:http(s), through the target's proxy when it has one (the SDK's REST client
 * ignores its proxy settings). Rejects with an Error whose message never carries the credential.
 */
export function requestVoiceList(target: SpeechTarget, signal: AbortSignal): Promise<ListedVoice[]> {
  const url = voiceListUrl(target);
  const headers = { Accept: 'application/json', ...voiceListHeaders(target) };
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = target.proxy ? proxyAgent(target.proxy) : undefined;
  return new Promise<ListedVoice[]>((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, agent, signal }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          reject(new Error(`the voice list request failed with HTTP ${status}`));
          return;
        }
        try {
          const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          if (!Array.isArray(body)) throw new Error('not a JSON array');
          resolve(body.filter(isListedVoice));
        } catch (error) {
          reject(new Error(`the voice list is not valid JSON (${(error as Error).message})`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function isListedVoice(value: unknown): value is ListedVoice {
  const voice = value as Partial<ListedVoice> | null;
  return typeof voice?.ShortName === 'string' && typeof voice.Locale === 'string';
}
