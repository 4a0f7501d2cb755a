import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { VOICE_CATALOG } from '../upstream/upstream-tokens';
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

class VoicesResponseDto {
  @ApiProperty({ type: [VoiceDto] })
  voices!: VoiceDto[];
}

/** GET /api/v1/voices: the upstream's own voice list, as it answered it at start-up. */
@ApiTags('speech')
@ApiBearerAuth()
@Controller('api/v1/voices')
@UseGuards(BearerAuthGuard, RateLimitGuard)
export class VoicesController {
  constructor(@Inject(VOICE_CATALOG) private readonly catalog: VoiceCatalog) {}

  @Get()
  @ApiOperation({ summary: "The speech service's voices (from its voice list)" })
  @ApiOkResponse({ type: VoicesResponseDto })
  @ApiProblemResponses(401, 429, 502)
  async list(): Promise<{ voices: VoiceSummary[] }> {
    const state = await this.catalog.load();
    if (state.status !== 'loaded') {
      // The list is fetched once; asking again will not change the answer until the service restarts.
      throw new SpeechError(
        'UPSTREAM_UNAVAILABLE',
        `the speech service did not list its voices${state.status === 'unavailable' ? `: ${state.reason}` : ''}`,
        { retryable: false },
      );
    }
    return { voices: this.catalog.list() };
  }
}
