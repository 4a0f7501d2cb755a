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
import { badRequest, describeZodError } from '../synthesis/error-body';
import { RateLimitGuard } from './rate-limit.guard';
import { SttResponseDto } from './stt-response.dto';
import { sttQuerySchema } from './stt-query.schema';
import { WorkSlotGuard } from './work-slot.guard';
import { ttsRequestSchema } from './tts-request.schema';
import { parseUploadContentType } from './upload-content-type';
import { checkDeclaredLength, limitUpload } from './upload-limit';
import { pacedBody } from './upload-pace';

/** `Accept: text/event-stream` (alone or among others): the client reads Server-Sent Events. */
function acceptsEventStream(accept: string | undefined): boolean {
  return accept !== undefined && /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(accept);
}

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
  @UseGuards(WorkSlotGuard)
  @ApiOperation({
    summary: 'Synthesize speech, streamed as it is produced',
    description:
      'The audio is streamed (chunked) as the synthesizer produces it; the status and headers are sent with the ' +
      'first audio byte. A client that disconnects cancels the synthesis. With `Accept: text/event-stream` the ' +
      'answer is Server-Sent Events instead: `audio` ({ seq, audio: base64 }), `word` (with `words: true`), then ' +
      '`done` (requestId, tier, firstByteMs, totalMs, bytes) or `error` (the problem document).',
  })
  @ApiBody({ schema: z.toJSONSchema(ttsRequestSchema, { target: 'openapi-3.0', io: 'input' }) as object })
  @ApiProduces(...audioTypes, 'text/event-stream')
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
    const events = acceptsEventStream(request.headers.accept);
    await this.synthesis.respond(response, { ...input, textField: 'text', events }, 'problem');
  }

  @Post('stt')
  @HttpCode(200)
  @UseGuards(WorkSlotGuard)
  @ApiOperation({
    summary: 'Recognize speech in an uploaded recording',
    description:
      'The body is a WAV file (16-bit PCM, mono, 8/16/24/48 kHz) or raw 16-bit little-endian PCM ' +
      '(audio/L16;rate=16000). It is fed to the recognizer as it arrives, never held whole. An upload that ' +
      'pauses for HTTP_BODY_IDLE, or arrives slower than 4 KiB/s over 10 s, is answered 408.',
  })
  @ApiQuery({ name: 'language', required: false, description: 'A locale (en-US) or a language (en)' })
  @ApiQuery({
    name: 'languages',
    required: false,
    description: '2-4 candidate locales (repeated, or comma-separated): each segment says which was spoken',
  })
  @ApiQuery({
    name: 'phrases',
    required: false,
    description: 'A phrase list (repeated parameter): at most 500 phrases of at most 100 characters',
  })
  @ApiQuery({
    name: 'endSilenceMs',
    required: false,
    description: 'Silence that ends a segment, 100-5000 ms',
  })
  @ApiQuery({
    name: 'initialSilenceMs',
    required: false,
    description: 'Silence before giving up, 100-60000 ms',
  })
  @ApiQuery({ name: 'profanity', required: false, enum: ['masked', 'removed', 'raw'] })
  @ApiQuery({ name: 'words', required: false, description: 'true: word timings in every segment' })
  @ApiConsumes('audio/wav', 'audio/L16')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 200, type: SttResponseDto })
  @ApiProblemResponses(400, 401, 408, 413, 415, 429, 502, 503, 504)
  async stt(@Req() request: IncomingMessage, @Query() query: unknown): Promise<SttResponseDto> {
    const parsed = sttQuerySchema.safeParse(query ?? {});
    if (!parsed.success) throw badRequest(describeZodError(parsed.error));
    const { language, ...options } = parsed.data;
    const { maxUploadBytes } = this.settings;
    checkDeclaredLength(request.headers['content-length'], maxUploadBytes);
    const encoding = parseUploadContentType(request.headers['content-type']);
    const transcript = await this.recognition.recognize({
      transport: 'http',
      chunks: limitUpload(pacedBody(request, this.settings.uploadPace, this.settings.clock), maxUploadBytes),
      encoding,
      language,
      options,
      stopReading: (reason) => request.destroy(reason),
      headers: request.headers,
    });
    const { text, segments, tier, durationMs } = transcript;
    return { text, segments, tier, durationMs };
  }
}
