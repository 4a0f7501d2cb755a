import { ManagedIdentityCredential } from '@azure/identity';
import * as sdk from 'microsoft-cognitiveservices-speech-sdk';
import { RunningEmulator, startEmulator } from '..';
import { cancellation, closeClient, speak } from '../../../test/support/emulator/speech-sdk';

const SCOPE = 'https://cognitiveservices.azure.com/.default';
const RESOURCE_ID =
  '/subscriptions/0/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/speech';

/** A synthesizer that presents `token` in the SDK's Entra ID form, on no key. */
function tokenSynthesizer(emulator: RunningEmulator, token: string): sdk.SpeechSynthesizer {
  const config = sdk.SpeechConfig.fromHost(new URL(emulator.url));
  config.authorizationToken = `aad#${RESOURCE_ID}#${token}`;
  return new sdk.SpeechSynthesizer(config, null);
}

describe('speech emulator identity endpoints (real @azure/identity, real SDK)', () => {
  let emulator: RunningEmulator;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, voice: 'synthetic' });
    // App Service's managed identity, as ManagedIdentityCredential finds it.
    process.env.IDENTITY_ENDPOINT = `${emulator.httpUrl}/msi/token`;
    process.env.IDENTITY_HEADER = 'any-secret';
  });
  afterEach(() => emulator.reset());
  afterAll(async () => {
    for (const [name, value] of [
      ['IDENTITY_ENDPOINT', saved.endpoint],
      ['IDENTITY_HEADER', saved.header],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await emulator.close();
  });

  it('issues ManagedIdentityCredential a token with the lifetime tokenTtlMs sets, which opens upgrades under requireToken', async () => {
    emulator.setFaults({ tokenTtlMs: 8_000, requireToken: true });
    const before = Date.now();
    const token = await new ManagedIdentityCredential().getToken(SCOPE);
    expect(token.expiresOnTimestamp).toBeGreaterThan(before + 6_000);
    expect(token.expiresOnTimestamp).toBeLessThanOrEqual(before + 8_000 + 1_000);

    const synthesizer = tokenSynthesizer(emulator, token.token);
    try {
      const result = await speak(synthesizer, 'With a token.');
      expect(result.reason).toBe(sdk.ResultReason.SynthesizingAudioCompleted);
    } finally {
      await closeClient(synthesizer);
    }
  });

  it('refuses, with requireToken, an upgrade with no token, an unknown one or an expired one (401)', async () => {
    emulator.setFaults({ tokenTtlMs: 1, requireToken: true });
    const issued = await (
      await fetch(`${emulator.httpUrl}/msi/token?resource=https://cognitiveservices.azure.com`, {
        headers: { 'X-IDENTITY-HEADER': 'x' },
      })
    ).json();
    const expired = (issued as { access_token: string }).access_token;
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (const synthesizer of [
      new sdk.SpeechSynthesizer(sdk.SpeechConfig.fromHost(new URL(emulator.url)), null),
      tokenSynthesizer(emulator, 'not-issued-here'),
      tokenSynthesizer(emulator, expired),
    ]) {
      try {
        const result = await speak(synthesizer, 'Refused.');
        expect(result.reason).toBe(sdk.ResultReason.Canceled);
        expect(cancellation(result).errorDetails).toContain('401');
      } finally {
        await closeClient(synthesizer);
      }
    }
    expect(emulator.stats().connectionsTotal).toBe(0);
  });

  it('answers the key exchange (POST /sts/v1.0/issueToken) with a bearer token, under requireKey', async () => {
    emulator.setFaults({ requireKey: 'the-key' });
    const refused = await fetch(`${emulator.httpUrl}/sts/v1.0/issueToken`, {
      method: 'POST',
      headers: { 'Ocp-Apim-Subscription-Key': 'a-wrong-key' },
    });
    expect(refused.status).toBe(401);
    const answer = await fetch(`${emulator.httpUrl}/sts/v1.0/issueToken`, {
      method: 'POST',
      headers: { 'Ocp-Apim-Subscription-Key': 'the-key' },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    const token = await answer.text();
    emulator.setFaults({ requireToken: true });
    // No key on the synthesizer: the SDK presents a key instead of a token when it has one.
    const config = sdk.SpeechConfig.fromHost(new URL(emulator.url));
    config.authorizationToken = token;
    const synthesizer = new sdk.SpeechSynthesizer(config, null);
    try {
      expect((await speak(synthesizer, 'Exchanged.')).reason).toBe(
        sdk.ResultReason.SynthesizingAudioCompleted,
      );
    } finally {
      await closeClient(synthesizer);
    }
  });

  it('refuses a managed identity request without the identity header or a resource', async () => {
    const issued = emulator.tokensIssued();
    expect((await fetch(`${emulator.httpUrl}/msi/token?resource=r`)).status).toBe(401);
    const noResource = await fetch(`${emulator.httpUrl}/msi/token`, {
      headers: { 'X-IDENTITY-HEADER': 'x' },
    });
    expect(noResource.status).toBe(400);
    expect(emulator.tokensIssued()).toBe(issued);
  });
});
