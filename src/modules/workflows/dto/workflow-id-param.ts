import { ApiParam } from '@nestjs/swagger';

/** Documents the `{id}` of /api/workflows/{id}/... (UuidParam checks it: a malformed id is a 400 naming `id`). */
export const ApiWorkflowIdParam = () =>
  ApiParam({ name: 'id', format: 'uuid', description: 'The workflow id (from POST /api/workflows or GET /api/workflows)' });
