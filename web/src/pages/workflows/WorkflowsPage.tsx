import { PageHeader } from '../../components/PageHeader';

// Placeholder until this page is built (issue 16).
export default function WorkflowsPage() {
  return <PageHeader title="Workflows" />;
}
