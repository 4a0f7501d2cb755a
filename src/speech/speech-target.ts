import { SpeechConfig } from 'microsoft-cognitiveservices-speech-sdk';
import { SpeechError } from './speech-error';
import type { SpeechTokens } from './speech-tokens';

/** An HTTP proxy the Speech connections tunnel through (CONNECT). */
export interface ProxySettings {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

/**
 * How a client proves itself: a key, a token kept fresh elsewhere (Entra ID), or nothing (an on-prem Speech
 * container or the standalone emulator without a key). A key wins over tokens when both are given.
 */
interface TargetAccess {
  key?: string;
  tokens?: SpeechTokens;
  /** The proxy for this upstream, already matched against NO_PROXY; absent: connect directly. */
  proxy?: ProxySettings;
}

/**
 * Where speech clients connect. `azure` = the public service by region; `endpoint` = an Azure resource's custom
 * domain (`https://<name>.cognitiveservices.azure.com`); `host` = any endpoint speaking the Speech protocol
 * (on-prem Speech containers, the emulator), reached with `SpeechConfig.fromHost` because `fromEndpoint` probes
 * port 443 first (docs/speech-sdk-notes.md).
 */
export type SpeechTarget =
  | ({ kind: 'azure'; region: string } & TargetAccess)
  | ({ kind: 'endpoint'; url: string } & TargetAccess)
  | ({ kind: 'host'; url: string; embeddedEmulator?: boolean } & TargetAccess);

/** The token a new client starts with; a clear error when the credential has none to give right now. */
export function initialToken(target: SpeechTarget): string | undefined {
  if (target.key || target.tokens === undefined) return undefined;
  const token = target.tokens.current();
  if (token === null) {
    throw new SpeechError(
      'UPSTREAM_UNAVAILABLE',
      'no valid Entra ID token for the speech service (the credential is failing; see the log)',
      { retryable: true },
    );
  }
  return token.value;
}

export function createSpeechConfig(target: SpeechTarget): SpeechConfig {
  const token = initialToken(target);
  let config: SpeechConfig;
  if (target.kind === 'azure') {
    config = target.key
      ? SpeechConfig.fromSubscription(target.key, target.region)
      : SpeechConfig.fromAuthorizationToken(token ?? '', target.region);
  } else if (target.kind === 'endpoint') {
    config = SpeechConfig.fromEndpoint(new URL(target.url), target.key || undefined);
  } else {
    const url = new URL(target.url);
    config = target.key ? SpeechConfig.fromHost(url, target.key) : SpeechConfig.fromHost(url);
  }
  if (token !== undefined && target.kind !== 'azure') config.authorizationToken = token;
  const { proxy } = target;
  if (proxy?.username) config.setProxy(proxy.host, proxy.port, proxy.username, proxy.password ?? '');
  else if (proxy) config.setProxy(proxy.host, proxy.port);
  return config;
}

/** A description of the target that is safe to log: never the key or a token. */
export function describeSpeechTarget(target: SpeechTarget): string {
  if (target.kind === 'azure') return `Azure Speech (region ${target.region})`;
  if (target.kind === 'endpoint') return `Azure Speech (endpoint ${target.url})`;
  return target.embeddedEmulator ? `embedded speech emulator at ${target.url}` : `Speech host ${target.url}`;
}

/** Removes the key and any token from text that may embed a request URL or header (SDK error details do). */
export function redactSecrets(text: string, target: SpeechTarget): string {
  let out = text.replace(
    /((?:subscription-key|Ocp-Apim-Subscription-Key|authorization)=)[^&\s"']+/gi,
    '$1***',
  );
  out = out.replace(/(Bearer\s+)[^\s"',]+/gi, '$1***').replace(/aad#[^\s"',&]+/gi, 'aad#***');
  if (target.key && target.key.length >= 4) out = out.split(target.key).join('***');
  const token = target.tokens?.current()?.value;
  if (token && token.length >= 4) out = out.split(token).join('***');
  return out;
}
