import { IntQuery, MAX_PAGE } from '../../../core/errors/query-params';

export class PageQueryDto {
  @IntQuery({ min: 1, max: MAX_PAGE, default: 1 })
  page: number = 1;

  @IntQuery({ min: 1, max: 100, default: 20 })
  limit: number = 20;
}

export const offsetOf = (q: PageQueryDto) => (q.page - 1) * q.limit;
