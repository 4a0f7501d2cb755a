import { Controller, Get, Inject, NotFoundException, Param, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { OPENAI_VOICE_NAMES } from '../config/env.schema';
import { voiceLocale } from '../speech/ssml';
import type { VoiceCatalog, VoiceSummary } from '../speech/voice-catalog';
import { VOICE_CATALOG } from '../upstream/upstream-tokens';
import { BearerAuthGuard } from './bearer-auth.guard';
import { HTTP_API_SETTINGS, type HttpApiSettings } from './http-api-options';
import { openAiModels, type OpenAiModel } from './openai-models';
import { ApiProblemResponses } from './openapi-problems';
import { RateLimitGuard } from './rate-limit.guard';

class ModelDto {
  @ApiProperty({ example: 'tts-1' })
  id!: string;
  @ApiProperty({ enum: ['model'] })
  object!: string;
  @ApiProperty({ example: 0 })
  created!: number;
  @ApiProperty({ example: 'warmline' })
  owned_by!: string;
}

class ModelListDto {
  @ApiProperty({ enum: ['list'] })
  object!: string;
  @ApiProperty({ type: [ModelDto] })
  data!: ModelDto[];
}

class OpenAiVoiceDto {
  @ApiProperty({ example: 'alloy', description: 'The name to send as `voice`' })
  id!: string;
  @ApiProperty({ enum: ['voice'] })
  object!: string;
  @ApiProperty({ example: 'en-US-AvaNeural', description: 'The Azure voice that speaks' })
  azure_voice!: string;
  @ApiProperty({ example: 'en-US' })
  locale!: string;
  @ApiProperty({ enum: ['Female', 'Male', 'Neutral', 'Unknown'] })
  gender!: string;
  @ApiProperty({ type: [String], description: 'Speaking styles `instructions` can pick (empty: none)' })
  styles!: string[];
}

class OpenAiVoiceListDto {
  @ApiProperty({ enum: ['list'] })
  object!: string;
  @ApiProperty({ type: [OpenAiVoiceDto] })
  data!: OpenAiVoiceDto[];
}

type OpenAiVoice = OpenAiVoiceDto & { object: 'voice' };

/** OpenAI's listing routes: the model names the audio routes accept, and the voices speech can be asked for. */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(BearerAuthGuard, RateLimitGuard)
export class OpenAiCatalogController {
  constructor(
    @Inject(HTTP_API_SETTINGS) private readonly settings: HttpApiSettings,
    @Inject(VOICE_CATALOG) private readonly catalog: VoiceCatalog,
  ) {}

  @Get('models')
  @ApiOperation({ summary: 'The model names the OpenAI routes accept (all answered by the same voices)' })
  @ApiOkResponse({ type: ModelListDto })
  @ApiProblemResponses(401, 429)
  models(): { object: 'list'; data: OpenAiModel[] } {
    return { object: 'list', data: openAiModels() };
  }

  @Get('models/:id')
  @ApiOperation({ summary: 'One accepted model name' })
  @ApiOkResponse({ type: ModelDto })
  @ApiResponse({ status: 404, description: 'Not a model name warmline accepts' })
  @ApiProblemResponses(401, 429)
  model(@Param('id') id: string): OpenAiModel {
    const model = openAiModels().find((entry) => entry.id === id);
    if (model === undefined) {
      throw new NotFoundException(`no model ${JSON.stringify(id.slice(0, 100))}`);
    }
    return model;
  }

  @Get('audio/voices')
  @ApiOperation({
    summary: 'The voices speech can be asked for',
    description:
      "OpenAI's six voice names first, each with the Azure voice it maps to (OPENAI_VOICE_MAP), then every " +
      "voice of the upstream's list by its Azure name. When the upstream could not list its voices, only the six.",
  })
  @ApiOkResponse({ type: OpenAiVoiceListDto })
  @ApiProblemResponses(401, 429)
  async voices(): Promise<{ object: 'list'; data: OpenAiVoice[] }> {
    await this.catalog.load();
    const azure = this.catalog.list();
    const byName = new Map(azure.map((voice) => [voice.name.toLowerCase(), voice]));
    const openai = OPENAI_VOICE_NAMES.map((id) => {
      const name = this.settings.openaiVoices[id];
      return entry(id, byName.get(name.toLowerCase()) ?? unlisted(name));
    });
    return { object: 'list', data: [...openai, ...azure.map((voice) => entry(voice.name, voice))] };
  }
}

function entry(id: string, voice: VoiceSummary): OpenAiVoice {
  return {
    id,
    object: 'voice',
    azure_voice: voice.name,
    locale: voice.locale,
    gender: voice.gender,
    styles: voice.styles,
  };
}

/** A mapped voice the upstream did not list (or no list): what its name says. */
function unlisted(name: string): VoiceSummary {
  return { name, locale: voiceLocale(name), gender: 'Unknown', styles: [] };
}
