import { ApiProperty } from '@nestjs/swagger';
import { AllocationTier } from '../pools/allocation-tier';

export class RecognizedWordDto {
  @ApiProperty({ example: 'hello' })
  text!: string;

  @ApiProperty({ description: 'Where the word starts in the audio, ms' })
  offsetMs!: number;

  @ApiProperty({ description: 'How long the word lasts, ms' })
  durationMs!: number;
}

export class TranscriptSegmentDto {
  @ApiProperty({ example: 'Hello world.' })
  text!: string;

  @ApiProperty({ description: 'Where the segment starts in the audio, ms' })
  offsetMs!: number;

  @ApiProperty({ description: 'How long the segment lasts, ms' })
  durationMs!: number;

  @ApiProperty({
    required: false,
    description: 'With `languages`: the language identified',
    example: 'de-DE',
  })
  language?: string;

  @ApiProperty({
    required: false,
    type: [RecognizedWordDto],
    description: 'With `words=true`: the word timings',
  })
  words?: RecognizedWordDto[];
}

export class SttResponseDto {
  @ApiProperty({ description: 'Every recognised segment, joined with spaces', example: 'Hello world.' })
  text!: string;

  @ApiProperty({ type: [TranscriptSegmentDto] })
  segments!: TranscriptSegmentDto[];

  @ApiProperty({ enum: AllocationTier, description: 'Where the recognizer came from' })
  tier!: AllocationTier;

  @ApiProperty({ description: 'Length of the uploaded audio, ms' })
  durationMs!: number;
}
