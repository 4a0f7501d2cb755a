import { Body, Controller, HttpCode, Inject, Logger, Post, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiPropertyOptional,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { badRequest } from '../synthesis/error-body';
import { BearerAuthGuard } from './bearer-auth.guard';
import { HTTP_API_SETTINGS, type HttpApiSettings } from './http-api-options';
import { HttpRecognition, type Transcript } from './http-recognition';
import { HttpSynthesis } from './http-synthesis';
import { readMultipartAudioForm } from './multipart-audio-form';
import { OPENAI_SPEECH_FORMATS, openAiSpeechRequestSchema } from './openai-speech-request.schema';
import { transcriptionBody } from './openai-transcription';
import {
  OPENAI_TRANSCRIPTION_FORMATS,
  TIMESTAMP_GRANULARITIES,
  parseTranscriptionFields,
  type TranscriptionRequest,
} from './openai-transcription-request';
import { toProblem } from './problem-details';
import { TranscriptDeltas } from './transcript-deltas';
import { TranscriptEventStream } from './transcript-event-stream';
import { INSTRUCTIONS_HEADER, styleFor } from './instructions-style';
import { azureVoiceFor } from './openai-voices';
import { ApiProblemResponses } from './openapi-problems';
import { parseJsonBody } from './parse-body';
import { RateLimitGuard } from './rate-limit.guard';
import { voiceNameSchema } from './speech-text.schema';
import { checkDeclaredLength } from './upload-limit';
import { WorkSlotGuard } from './work-slot.guard';
import { UploadMemoryBudget, UploadSpoolBudget } from './upload-memory-budget';
import { pacedBody } from './upload-pace';
import { UploadSpool } from './upload-spool';
import { VOICE_CATALOG } from '../upstream/upstream-tokens';
import type { VoiceCatalog } from '../speech/voice-catalog';
import { HTTP_AUDIO_FORMATS } from './http-audio-formats';
import { EVENT_STREAM_TYPE } from './sse-audio-sink';

/** Room for the form's boundaries and text fields on top of the audio itself. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

/** The locale a transcription was made in (verbose_json names only the language, as OpenAI does). */
export const LANGUAGE_HEADER = 'X-Warmline-Language';

class TranscriptionFormDto {
  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'A WAV file: 16-bit PCM, mono, 8/16/24/48 kHz',
  })
  file!: unknown;

  @ApiProperty({ description: 'Accepted and ignored (e.g. whisper-1)' })
  model!: string;

  @ApiPropertyOptional({ description: 'A language (en) or a locale (en-US); default SPEECH_STT_LANGUAGE' })
  language?: string;

  @ApiPropertyOptional({ description: "Its words bias recognition (they become the request's phrase list)" })
  prompt?: string;

  @ApiPropertyOptional({ enum: OPENAI_TRANSCRIPTION_FORMATS, default: 'json' })
  response_format?: string;

  @ApiPropertyOptional({
    name: 'timestamp_granularities[]',
    enum: TIMESTAMP_GRANULARITIES,
    isArray: true,
    description: 'verbose_json only: word and/or segment timings (default: segment)',
  })
  timestamp_granularities?: string[];

  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'json or text only' })
  stream?: string;
}

class TranscriptionDto {
  @ApiProperty({ example: 'Hello world.' })
  text!: string;
}

/**
 * OpenAI's audio routes, answered by the same synthesis and recognition paths as warmline's own, so the official
 * `openai` SDK pointed at warmline (`baseURL: http://host:3000/v1`) works unchanged.
 */
@ApiTags('openai')
@ApiBearerAuth()
@Controller('v1/audio')
@UseGuards(BearerAuthGuard, RateLimitGuard)
export class OpenAiAudioController {
  private readonly logger = new Logger('HttpApi');

  constructor(
    private readonly synthesis: HttpSynthesis,
    private readonly recognition: HttpRecognition,
    private readonly uploadMemory: UploadMemoryBudget,
    private readonly uploadDisk: UploadSpoolBudget,
    @Inject(HTTP_API_SETTINGS) private readonly settings: HttpApiSettings,
    @Inject(VOICE_CATALOG) private readonly catalog: VoiceCatalog,
  ) {}

  @Post('speech')
  @HttpCode(200)
  @UseGuards(WorkSlotGuard)
  @ApiOperation({
    summary: "OpenAI's text-to-speech request",
    description:
      'voice: one of alloy, echo, fable, onyx, nova, shimmer (mapped to Azure voices by OPENAI_VOICE_MAP) or an ' +
      'Azure voice name. speed becomes SSML prosody rate (clamped to 0.5-3); instructions pick one of the ' +
      "voice's speaking styles when they name one, and the X-Warmline-Instructions header says which (or why " +
      'they were ignored).',
  })
  @ApiBody({
    schema: z.toJSONSchema(openAiSpeechRequestSchema, { target: 'openapi-3.0', io: 'input' }) as object,
  })
  @ApiProduces(
    ...new Set(Object.values(OPENAI_SPEECH_FORMATS).map((name) => HTTP_AUDIO_FORMATS[name].contentType)),
    EVENT_STREAM_TYPE,
  )
  @ApiResponse({ status: 200, description: 'The audio, streamed as it is synthesized' })
  @ApiProblemResponses(400, 401, 415, 429, 502, 503, 504)
  async speech(
    @Req() request: IncomingMessage,
    @Body() body: unknown,
    @Res() response: ServerResponse,
  ): Promise<void> {
    const input = parseJsonBody(request, body, openAiSpeechRequestSchema);
    const named = typeof input.voice === 'string' ? input.voice : input.voice.id;
    const voice = azureVoiceFor(named, this.settings.openaiVoices);
    if (!voiceNameSchema.safeParse(voice).success) {
      throw badRequest(
        `voice ${JSON.stringify(named.slice(0, 100))} is neither an OpenAI voice nor an Azure voice name`,
      );
    }
    let style: string | undefined;
    if (input.instructions !== undefined && input.instructions.trim() !== '') {
      await this.catalog.load();
      const choice = styleFor(input.instructions, voice, this.catalog.stylesOf(voice));
      if ('style' in choice) style = choice.style;
      response.setHeader(
        INSTRUCTIONS_HEADER,
        'style' in choice ? `style=${choice.style}` : `ignored: ${choice.ignored}`,
      );
    }
    await this.synthesis.respond(
      response,
      {
        text: input.input,
        voice,
        format: OPENAI_SPEECH_FORMATS[input.response_format],
        speed: input.speed,
        style,
        streamFormat: input.stream_format,
        textField: 'input',
      },
      'openai',
    );
  }

  @Post('transcriptions')
  @HttpCode(200)
  @UseGuards(WorkSlotGuard)
  @ApiOperation({
    summary: "OpenAI's transcription request (multipart form)",
    description:
      'The file is streamed into the recognizer as it arrives when the language is known by then (a language ' +
      'field before the file); otherwise it is held until the form has ended (at most HTTP_MAX_UPLOAD; in memory ' +
      'while HTTP_UPLOAD_MEMORY lasts, process-wide, then in a temporary file). A form that pauses for ' +
      'HTTP_BODY_IDLE, or arrives slower than 4 KiB/s over 10 s, is answered 408. stream=true answers ' +
      'transcript.text.delta events as the recognizer reports text, then transcript.text.done.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: TranscriptionFormDto })
  @ApiProduces('application/json', 'text/plain', 'text/vtt', EVENT_STREAM_TYPE)
  @ApiResponse({
    status: 200,
    type: TranscriptionDto,
    description: '{ text } (json), the text (text), SubRip (srt), WebVTT (vtt), or verbose_json',
  })
  @ApiProblemResponses(400, 401, 408, 413, 415, 429, 502, 503, 504)
  async transcriptions(@Req() request: IncomingMessage, @Res() response: ServerResponse): Promise<void> {
    const { maxUploadBytes, uploadPace, clock, uploadSpoolDirectory } = this.settings;
    checkDeclaredLength(request.headers['content-length'], maxUploadBytes + FORM_OVERHEAD_BYTES);
    let transcript: Transcript | null = null;
    const spool = new UploadSpool(this.uploadMemory, this.uploadDisk, uploadSpoolDirectory);
    const events = new TranscriptEventStream(response);
    try {
      const fields = await readMultipartAudioForm(
        request,
        pacedBody(request, uploadPace, clock),
        { maxUploadBytes, fileField: 'file' },
        async (file) => {
          const asked = parseTranscriptionFields(file.fieldsBefore);
          if (asked.language !== undefined) {
            if (asked.stream) events.follow();
            transcript = await this.recognize(request, file.chunks, asked, events);
            return;
          }
          // A language field may still follow the file: hold the audio (in memory while the process-wide
          // budget lasts, then on disk; at most HTTP_MAX_UPLOAD) until the form has ended.
          for await (const chunk of file.chunks) await spool.write(chunk);
        },
      );
      const asked = parseTranscriptionFields(fields);
      if (asked.stream) events.follow();
      transcript ??= await this.recognize(request, spool.chunks(), { ...asked, formatGiven: true }, events);
      if (asked.stream) {
        events.done(transcript.text);
        return;
      }
      const { contentType, body } = transcriptionBody(transcript, asked.format, asked.granularities);
      response.statusCode = 200;
      response.setHeader('Content-Type', contentType);
      response.setHeader(LANGUAGE_HEADER, transcript.language);
      response.end(body);
    } catch (error) {
      if (!events.started) throw error;
      events.fail(toProblem(error, (internal) => this.logger.error('transcription failed', internal)));
    } finally {
      await spool.dispose();
    }
  }

  private recognize(
    request: IncomingMessage,
    chunks: AsyncIterable<Buffer>,
    asked: TranscriptionRequest,
    events: TranscriptEventStream,
  ): Promise<Transcript> {
    // When the format is not known yet (it may follow the file), word timings are asked for in case it wants them.
    const words = !asked.formatGiven || (asked.format === 'verbose_json' && asked.granularities.has('word'));
    return this.recognition.recognize({
      transport: 'openai',
      chunks,
      encoding: { kind: 'wav' },
      language: asked.language,
      options: {
        ...(asked.phrases === undefined ? {} : { phrases: asked.phrases }),
        ...(words ? { words } : {}),
      },
      stopReading: (reason) => request.destroy(reason),
      headers: request.headers,
      results: new TranscriptDeltas(events.delta),
    });
  }
}
