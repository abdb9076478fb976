import { Global, Module } from '@nestjs/common';
import { OutboundHttpClient } from './outbound-http.client';

/** Global: connectors, credential tests and the Nango-backed credential kind share one client (one set of agents). */
@Global()
@Module({ providers: [OutboundHttpClient], exports: [OutboundHttpClient] })
export class OutboundHttpModule {}
