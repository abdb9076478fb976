import type { components } from '../../../api/generated/schema';

export type WorkflowListItem = components['schemas']['WorkflowListItemDto'];
export type WorkflowPage = components['schemas']['WorkflowPageDto'];
export type WorkflowDocument = components['schemas']['WorkflowDocumentDto'];
export type WorkflowTrigger = components['schemas']['WorkflowTrigger'];
