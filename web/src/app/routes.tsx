import { lazy, Suspense, type ComponentType } from 'react';
import { createBrowserRouter } from 'react-router';
import { Layout } from './Layout';
import { RequireSession } from './RequireSession';
import { Loading } from '../components/Loading';
import { RouteError } from './RouteError';

/** Each page is its own chunk: the first load carries only the frame and the page opened. */
function page(load: () => Promise<{ default: ComponentType }>) {
  const Page = lazy(load);
  return (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
}

export const router = createBrowserRouter([
  { path: '/login', element: page(() => import('../pages/login/LoginPage')), errorElement: <RouteError /> },
  { path: '/register', element: page(() => import('../pages/login/RegisterPage')), errorElement: <RouteError /> },
  { path: '/invitations/accept', element: page(() => import('../pages/invitations/InvitationAcceptPage')), errorElement: <RouteError /> },
  {
    element: <RequireSession />,
    errorElement: <RouteError />,
    children: [
      {
        element: <Layout />,
        children: [
          { path: '/', element: page(() => import('../pages/dashboard/DashboardPage')) },
          { path: '/workflows', element: page(() => import('../pages/workflows/WorkflowsPage')) },
          { path: '/workflows/new', element: page(() => import('../pages/workflows/builder/WorkflowBuilderPage')) },
          { path: '/workflows/:id', element: page(() => import('../pages/workflows/builder/WorkflowBuilderPage')) },
          { path: '/runs', element: page(() => import('../pages/runs/RunsPage')) },
          { path: '/runs/:id', element: page(() => import('../pages/runs/RunDetailPage')) },
          { path: '/connections', element: page(() => import('../pages/credentials/CredentialsPage')) },
          { path: '/connectors', element: page(() => import('../pages/connectors/ConnectorsPage')) },
          { path: '/companies', element: page(() => import('../pages/companies/CompaniesPage')) },
          { path: '/companies/:id', element: page(() => import('../pages/companies/CompanyDetailPage')) },
          { path: '/gateway', element: page(() => import('../pages/gateway/GatewayPage')) },
          { path: '/team', element: page(() => import('../pages/team/TeamPage')) },
          { path: '/admin', element: page(() => import('../pages/admin/AdminPage')) },
          { path: '*', element: page(() => import('./NotFoundPage')) },
        ],
      },
    ],
  },
]);
