import { ApiProperty } from '@nestjs/swagger';
import { IntQuery, MAX_PAGE } from '../../../core/errors/query-params';

export class PageQueryDto {
  @IntQuery({ min: 1, max: MAX_PAGE, default: 1, description: 'Page number, from 1' })
  page: number = 1;

  @IntQuery({ min: 1, max: 100, default: 20, description: 'Items per page' })
  limit: number = 20;
}

/** The paging facts every list answers beside its `items`. */
export abstract class PageMetaDto {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Items matching the query, over all pages', example: 1 }) total: number;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'This page (from 1)', example: 1 }) page: number;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 100, description: 'Items per page', example: 20 }) limit: number;
}

export const offsetOf = (q: PageQueryDto) => (q.page - 1) * q.limit;
