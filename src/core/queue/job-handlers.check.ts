import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { JobProcessor } from './job-processor';
import { jobNamesOf, QUEUES, QueueKey } from './queue.registry';
import { queuesThisHostRuns } from './worker-queues';

export interface DeclaredHandlers {
  owner: string;
  queue: QueueKey;
  names: string[];
}

/**
 * What is wrong with the declared handlers: a handler for a job name the registry does not
 * have; and, for each queue this host runs, a job name with no handler or more than one, or
 * more than one processor (BullMQ would hand any job to either).
 */
export function handlerProblems(declared: DeclaredHandlers[], running: QueueKey[]): string[] {
  const problems: string[] = [];
  for (const d of declared) {
    const known = new Set<string>(jobNamesOf(d.queue));
    for (const n of d.names)
      if (!known.has(n)) problems.push(`${d.owner} handles job "${n}", which queue "${QUEUES[d.queue]}" does not have`);
  }
  for (const q of running) {
    const owners = declared.filter((d) => d.queue === q);
    if (owners.length > 1) problems.push(`queue "${QUEUES[q]}" has ${owners.length} processors (${owners.map((o) => o.owner).join(', ')})`);
    for (const n of jobNamesOf(q)) {
      const by = owners.filter((o) => o.names.includes(n)).map((o) => o.owner);
      if (!by.length) problems.push(`no handler for job "${n}" of queue "${QUEUES[q]}"`);
      else if (by.length > 1) problems.push(`job "${n}" of queue "${QUEUES[q]}" has ${by.length} handlers (${by.join(', ')})`);
    }
  }
  return problems;
}

/** Start-up fails, before any worker runs, when the processors do not cover the registry exactly. */
@Injectable()
export class JobHandlersCheck implements OnModuleInit {
  constructor(
    private readonly discovery: DiscoveryService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const declared = this.discovery
      .getProviders()
      .map((w) => w.instance as unknown)
      .filter((i): i is JobProcessor<QueueKey> => i instanceof JobProcessor)
      .map((p) => ({ owner: p.constructor.name, queue: p.queueKey, names: p.handledJobNames() }));
    const problems = handlerProblems(declared, queuesThisHostRuns(this.config));
    if (problems.length) throw new Error(`Job handlers do not match the queue registry: ${problems.join('; ')}`);
  }
}
