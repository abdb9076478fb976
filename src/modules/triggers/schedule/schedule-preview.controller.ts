import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../../../core/errors/api-errors.decorator';
import { SchedulePreviewDto, SchedulePreviewRequestDto } from './schedule-preview.dto';
import { previewSchedule } from './schedule-preview';

/** POST /api/workflows/schedule-preview: what a schedule trigger would do, before it is saved. */
@ApiTags('workflows')
@ApiBearerAuth()
@ApiErrors(401)
@Controller('api/workflows')
export class SchedulePreviewController {
  @Post('schedule-preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Preview the next fire times of a schedule',
    description:
      "The next `count` (default 5) times a schedule trigger would fire, in UTC, computed as the scheduler computes them (cron in its time zone, daylight-saving changes included). The same validation as a saved schedule: an invalid or too-frequent `cron`, an unknown `timezone`, both or neither of `cron` and `intervalSeconds` are a 400 naming the field. Interval ticks are offset per workflow: give `workflowId` for a saved workflow's exact times. Saves nothing; any role.",
  })
  @ApiBody({
    type: SchedulePreviewRequestDto,
    examples: {
      nightly: { summary: 'Every night at 02:30 in Paris', value: { cron: '30 2 * * *', timezone: 'Europe/Paris', count: 5 } },
      interval: { summary: 'Every 10 minutes', value: { intervalSeconds: 600 } },
    },
  })
  @ApiOkResponse({ type: SchedulePreviewDto, description: 'The fire times' })
  @ApiErrors(400)
  preview(@Body() dto: SchedulePreviewRequestDto): SchedulePreviewDto {
    return previewSchedule(dto);
  }
}
