import { Body, Controller, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { BearerAuthGuard } from './bearer-auth.guard';
import { HTTP_API_SETTINGS, type HttpApiSettings } from './http-api-options';
import { HTTP_AUDIO_FORMATS } from './http-audio-formats';
import { FIRST_BYTE_HEADER, TIER_HEADER } from './http-audio-sink';
import { HttpRecognition } from './http-recognition';
import { HttpSynthesis } from './http-synthesis';
import { ApiProblemResponses } from './openapi-problems';
import { parseJsonBody } from './parse-body';
import { RateLimitGuard } from './rate-limit.guard';
import { SttResponseDto } from './stt-response.dto';
import { ttsRequestSchema } from './tts-request.schema';
import { parseUploadContentType } from './upload-content-type';
import { checkDeclaredLength, limitUpload } from './upload-limit';

const audioTypes = [...new Set(Object.values(HTTP_AUDIO_FORMATS).map((format) => format.contentType))];

/** warmline's own HTTP speech routes: streaming synthesis and upload recognition. */
@ApiTags('speech')
@ApiBearerAuth()
@Controller('api/v1')
@UseGuards(BearerAuthGuard, RateLimitGuard)
export class SpeechController {
  constructor(
    private readonly synthesis: HttpSynthesis,
    private readonly recognition: HttpRecognition,
    @Inject(HTTP_API_SETTINGS) private readonly settings: HttpApiSettings,
  ) {}

  @Post('tts')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Synthesize speech, streamed as it is produced',
    description:
      'The audio is streamed (chunked) as the synthesizer produces it; the status and headers are sent with the ' +
      'first audio byte. A client that disconnects cancels the synthesis.',
  })
  @ApiBody({ schema: z.toJSONSchema(ttsRequestSchema, { target: 'openapi-3.0', io: 'input' }) as object })
  @ApiProduces(...audioTypes)
  @ApiResponse({
    status: 200,
    description: 'The audio',
    headers: {
      [TIER_HEADER]: {
        description: 'Where the synthesizer came from: DEDICATED, WARM or COLD',
        schema: { type: 'string' },
      },
      [FIRST_BYTE_HEADER]: {
        description: 'Milliseconds from accepting the request to the first audio byte',
        schema: { type: 'number' },
      },
    },
    content: Object.fromEntries(
      audioTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
    ),
  })
  @ApiProblemResponses(400, 401, 415, 429, 502, 503, 504)
  async tts(
    @Req() request: IncomingMessage,
    @Body() body: unknown,
    @Res() response: ServerResponse,
  ): Promise<void> {
    const input = parseJsonBody(request, body, ttsRequestSchema);
    await this.synthesis.respond(response, { ...input, textField: 'text' }, 'problem');
  }

  @Post('stt')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Recognize speech in an uploaded recording',
    description:
      'The body is a WAV file (16-bit PCM, mono, 8/16/24/48 kHz) or raw 16-bit little-endian PCM ' +
      '(audio/L16;rate=16000). It is fed to the recognizer as it arrives, never held whole.',
  })
  @ApiQuery({ name: 'language', required: false, description: 'A locale (en-US) or a language (en)' })
  @ApiConsumes('audio/wav', 'audio/L16')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 200, type: SttResponseDto })
  @ApiProblemResponses(400, 401, 413, 415, 429, 502, 503, 504)
  async stt(@Req() request: IncomingMessage, @Query('language') language?: string): Promise<SttResponseDto> {
    const { maxUploadBytes } = this.settings;
    checkDeclaredLength(request.headers['content-length'], maxUploadBytes);
    const encoding = parseUploadContentType(request.headers['content-type']);
    const transcript = await this.recognition.recognize({
      transport: 'http',
      chunks: limitUpload(request, maxUploadBytes),
      encoding,
      language: typeof language === 'string' ? language : undefined,
      stopReading: (reason) => request.destroy(reason),
      headers: request.headers,
    });
    const { text, segments, tier, durationMs } = transcript;
    return { text, segments, tier, durationMs };
  }
}
