import { NavLink, Outlet } from 'react-router';
import { useSession } from '../session/SessionContext';

const NAV: Array<{ to: string; label: string; end?: boolean }> = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/workflows', label: 'Workflows' },
  { to: '/runs', label: 'Runs' },
  { to: '/connections', label: 'Connections' },
  { to: '/connectors', label: 'Connectors' },
  { to: '/companies', label: 'Companies' },
  { to: '/gateway', label: 'Gateway' },
  { to: '/team', label: 'Team' },
  { to: '/admin', label: 'Admin' },
];

/** The signed-in frame: navigation on the left, the page on the right. */
export function Layout() {
  const { me, signOut } = useSession();
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">
            ⟿
          </span>{' '}
          Flowgate
        </div>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.end} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
                  {n.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="sidebar-foot">
          {me && (
            <p className="small">
              <span className="muted">{me.tenant.name}</span>
              <br />
              {me.user.email} <span className="badge badge-neutral">{me.user.role}</span>
            </p>
          )}
          <button type="button" className="btn btn-secondary btn-sm" onClick={signOut}>
            Sign out
          </button>
          <a className="small" href="/docs">
            API reference
          </a>
        </div>
      </aside>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
