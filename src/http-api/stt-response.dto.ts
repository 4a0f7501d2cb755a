import { ApiProperty } from '@nestjs/swagger';
import { AllocationTier } from '../pools/allocation-tier';

export class TranscriptSegmentDto {
  @ApiProperty({ example: 'Hello world.' })
  text!: string;

  @ApiProperty({ description: 'Where the segment starts in the audio, ms' })
  offsetMs!: number;

  @ApiProperty({ description: 'How long the segment lasts, ms' })
  durationMs!: number;
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
