import { Module, OnModuleInit } from '@nestjs/common';
import { CompaniesModule } from '../companies';
import { CompaniesRepository } from '../companies';
import { CompaniesService } from '../companies';
import { AuthKindRegistry } from '../credentials';
import { CredentialsModule } from '../credentials';
import { NangoClient } from '../nango';
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
