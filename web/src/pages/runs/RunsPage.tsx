import { PageHeader } from '../../components/PageHeader';

// Placeholder until this page is built (issue 16).
export default function RunsPage() {
  return <PageHeader title="Runs" />;
}
