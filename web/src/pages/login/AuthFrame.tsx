import type { ReactNode } from 'react';

/** The signed-out frame (sign in, register, invitation): a centred card with the page's one h1. */
export function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth-page">
      <div className="card auth-card stack">
        <p className="brand" aria-hidden="true">
          ⟿ Flowgate
        </p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
