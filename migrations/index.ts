import { Foundation1763700000000 } from './1763700000000-foundation';
import { Credentials1763710000000 } from './1763710000000-credentials';
import { WorkflowsAndExecutions1763715000000 } from './1763715000000-workflows-and-executions';
import { Marketplace1763720000000 } from './1763720000000-marketplace';
import { KongDeploymentsAndUsage1763725000000 } from './1763725000000-kong-deployments-and-usage';
import { CredentialAllowedHosts1763730000000 } from './1763730000000-credential-allowed-hosts';
import { MemberEmailPerTenant1763735000000 } from './1763735000000-member-email-per-tenant';
import { OpenTriggerTypes1763740000000 } from './1763740000000-open-trigger-types';
import { PartitionExecutions1763750000000 } from './1763750000000-partition-executions';
import { EnterpriseRows1763760000000 } from './1763760000000-enterprise-rows';

/**
 * Every migration in order. Listed explicitly (no glob) so the same array works from
 * ts sources under Jest and from compiled JavaScript in dist/.
 */
export const ALL_MIGRATIONS = [
  Foundation1763700000000,
  Credentials1763710000000,
  WorkflowsAndExecutions1763715000000,
  Marketplace1763720000000,
  KongDeploymentsAndUsage1763725000000,
  CredentialAllowedHosts1763730000000,
  MemberEmailPerTenant1763735000000,
  OpenTriggerTypes1763740000000,
  PartitionExecutions1763750000000,
  EnterpriseRows1763760000000,
];
