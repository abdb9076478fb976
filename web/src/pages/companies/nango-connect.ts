import type { components } from '../../api/generated/schema';

type ConnectSession = components['schemas']['OAuthUrlDto'];

/**
 * Opens Nango's Connect UI (an iframe) for a connect session. The SDK is imported on demand so
 * it stays out of the console's first load. The UI is loaded from the connect link's origin:
 * the one Flowgate's Nango configuration points at (and the one its CSP allows as a frame).
 * Resolves when the customer finished connecting, rejects on an error event, and resolves
 * `false` when they closed the UI without connecting.
 */
export async function openNangoConnect(s: ConnectSession): Promise<boolean> {
  const { default: Nango } = await import('@nangohq/frontend');
  return new Promise<boolean>((resolve, reject) => {
    let done = false;
    const nango = new Nango({ connectSessionToken: s.sessionToken });
    const ui = nango.openConnectUI({
      baseURL: new URL(s.connectLink).origin,
      sessionToken: s.sessionToken,
      onEvent: (event) => {
        if (done) return;
        if (event.type === 'connect') {
          // Connected: Flowgate's callback takes over (the page says so), the UI has done its part.
          done = true;
          ui.close();
          resolve(true);
        } else if (event.type === 'error') {
          done = true;
          ui.close();
          reject(new Error(`Nango Connect: ${event.payload.errorMessage}`));
        } else if (event.type === 'close') {
          done = true;
          resolve(false);
        }
      },
    });
  });
}
