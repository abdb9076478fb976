import type { components } from '../../api/generated/schema';

export type Dashboard = components['schemas']['DashboardDto'];
export type RunsByStatus = components['schemas']['RunsByStatusDto'];
export type HourBucket = components['schemas']['RunsPerHourDto'];
export type SlowWorkflow = components['schemas']['SlowWorkflowDto'];
export type FailingWorkflow = components['schemas']['FailingWorkflowDto'];
export type QueueDepth = components['schemas']['DashboardQueueDto'];

/** The windows the picker offers (hours): the API takes 1..168. */
export const WINDOWS = [
  { hours: 24, label: 'Last 24 hours', short: '24 h' },
  { hours: 168, label: 'Last 7 days', short: '7 d' },
] as const;
export type WindowHours = (typeof WINDOWS)[number]['hours'];

export const windowLabel = (hours: number) => WINDOWS.find((w) => w.hours === hours)?.label.toLowerCase() ?? `last ${hours} hours`;
