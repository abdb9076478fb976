/**
 * The document's tags, in the order a new user meets them. Every operation carries exactly one
 * of these (document-rules.ts checks it), so Swagger UI and generated clients group the API
 * the same way.
 */
export const API_TAGS = [
  { name: 'auth', description: 'Register, sign in, your account, your tenant and its members' },
  { name: 'workflows', description: 'Workflows: create, edit, toggle, run, dry-run, import and export' },
  { name: 'executions', description: 'Runs of workflows: the log, one execution with its steps, retries, stats' },
  { name: 'credentials', description: 'Encrypted credentials that workflow steps use; never returned in clear' },
  { name: 'connectors', description: 'The connector catalog: actions, parameters and accepted credential kinds' },
  { name: 'marketplace', description: 'Marketplace app: companies connected through Nango OAuth, their syncs and records' },
  { name: 'kong', description: 'Kong Gateway patterns, deployments, the gateway endpoints Kong calls, and usage metering' },
  { name: 'audit', description: 'The audit log: who changed what, when, from where (owners and admins)' },
  { name: 'admin', description: 'Operator endpoints behind `X-Admin-Token`' },
  { name: 'health', description: 'Probes and metrics' },
] as const;

export type ApiTagName = (typeof API_TAGS)[number]['name'];
