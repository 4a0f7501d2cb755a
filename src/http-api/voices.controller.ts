import { Controller, Get, Inject, Optional, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { SpeechEndpoint } from '../upstream/speech-endpoint';
import { SPEECH_ENDPOINT, VOICE_CATALOG } from '../upstream/upstream-tokens';
import { SpeechError } from '../speech/speech-error';
import type { VoiceCatalog, VoiceSummary } from '../speech/voice-catalog';
import { BearerAuthGuard } from './bearer-auth.guard';
import { ApiProblemResponses } from './openapi-problems';
import { RateLimitGuard } from './rate-limit.guard';

class VoiceDto {
  @ApiProperty({ example: 'en-US-JennyNeural', description: 'The name to use as `voice`' })
  name!: string;

  @ApiProperty({ example: 'en-US' })
  locale!: string;

  @ApiProperty({ enum: ['Female', 'Male', 'Neutral', 'Unknown'] })
  gender!: string;

  @ApiProperty({ type: [String], example: ['cheerful', 'sad'], description: 'Speaking styles (empty: none)' })
  styles!: string[];
}

class UpstreamDto {
  @ApiProperty({
    description:
      "True when speech comes from warmline's built-in emulator (no Azure settings were given), not from a speech service",
  })
  emulator!: boolean;

  @ApiProperty({
    enum: ['espeak', 'synthetic'],
    required: false,
    description: "The built-in emulator's voice: espeak-ng, or a synthetic tone voice",
  })
  emulatorVoice?: 'espeak' | 'synthetic';
}

class VoicesResponseDto {
  @ApiProperty({ type: [VoiceDto] })
  voices!: VoiceDto[];

  @ApiProperty({ type: UpstreamDto, description: 'Where the speech comes from' })
  upstream!: UpstreamDto;
}

export type UpstreamSummary = { emulator: false } | { emulator: true; emulatorVoice: 'espeak' | 'synthetic' };

/**
 * GET /api/v1/voices: the upstream's own voice list, as it answered it at start-up, and whether that upstream is
 * the built-in emulator (the demo page says so: its timings are the emulator's, not a speech service's).
 */
@ApiTags('speech')
@ApiBearerAuth()
@Controller('api/v1/voices')
@UseGuards(BearerAuthGuard, RateLimitGuard)
export class VoicesController {
  private readonly upstream: UpstreamSummary;

  constructor(
    @Inject(VOICE_CATALOG) private readonly catalog: VoiceCatalog,
    // Absent in a module built with a VOICE_CATALOG of its own (test harnesses): then not the built-in emulator.
    @Optional() @Inject(SPEECH_ENDPOINT) endpoint?: SpeechEndpoint,
  ) {
    const voice = endpoint?.emulatorVoice;
    this.upstream = voice === undefined ? { emulator: false } : { emulator: true, emulatorVoice: voice };
  }

  @Get()
  @ApiOperation({ summary: "The speech service's voices (from its voice list)" })
  @ApiOkResponse({ type: VoicesResponseDto })
  @ApiProblemResponses(401, 429, 502)
  async list(): Promise<{ voices: VoiceSummary[]; upstream: UpstreamSummary }> {
    const state = await this.catalog.load();
    if (state.status !== 'loaded') {
      // The list is fetched once; asking again will not change the answer until the service restarts.
      throw new SpeechError(
        'UPSTREAM_UNAVAILABLE',
        `the speech service did not list its voices${state.status === 'unavailable' ? `: ${state.reason}` : ''}`,
        { retryable: false },
      );
    }
    return { voices: this.catalog.list(), upstream: this.upstream };
  }
}
