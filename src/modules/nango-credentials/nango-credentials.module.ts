import { Module, OnModuleInit } from '@nestjs/common';
import { CompaniesModule } from '../companies/companies.module';
import { CompaniesRepository } from '../companies/companies.repository';
import { CompaniesService } from '../companies/companies.service';
import { AuthKindRegistry } from '../credentials/auth-kinds/auth-kind.registry';
import { CredentialsModule } from '../credentials/credentials.module';
import { NangoClient } from '../nango/nango.client';
import { NangoAuthKind } from './nango-auth-kind';

/**
 * Adds the `nango` credential kind (a company's Nango connection, token fetched at call time)
 * to the credential registry. Sits above both companies and credentials, so neither imports
 * the other.
 */
@Module({ imports: [CredentialsModule, CompaniesModule] })
export class NangoCredentialsModule implements OnModuleInit {
  constructor(
    private readonly kinds: AuthKindRegistry,
    private readonly nango: NangoClient,
    private readonly companies: CompaniesRepository,
    private readonly companiesService: CompaniesService,
  ) {}

  onModuleInit(): void {
    this.kinds.register(new NangoAuthKind(this.nango, this.companies, this.companiesService));
  }
}
