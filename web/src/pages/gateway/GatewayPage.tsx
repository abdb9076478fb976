import { api, call } from '../../api/client';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PageHeader } from '../../components/PageHeader';
import { useSession } from '../../session/SessionContext';
import { useApi } from '../../lib/use-api';
import { ApplyPattern } from './ApplyPattern';
import { Deployments } from './Deployments';
import { KongStatusCard } from './KongStatusCard';
import { UsageSection } from './UsageSection';
import './gateway.css';

/** Kong Gateway: its status, gateway patterns applied to workflows, and metered usage. */
export default function GatewayPage() {
  const { can } = useSession();
  const deployments = useApi(() => call(api.GET('/api/kong/templates')), []);
  const workflows = useApi(() => call(api.GET('/api/workflows', { params: { query: { limit: 100 } } })), []);
  const workflowList = workflows.data?.items ?? [];

  return (
    <>
      <PageHeader title="Gateway" description="Kong in front of your workflows: rate limits, auth, bridges, caching and usage metering." />
      <div className="stack">
        <KongStatusCard />
        <ErrorBanner error={workflows.error} />
        {can('workflows.write') && <ApplyPattern workflows={workflowList} onApplied={() => void deployments.reload()} />}
        <Deployments deployments={deployments} workflows={workflowList} />
        <UsageSection />
      </div>
    </>
  );
}
