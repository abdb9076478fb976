import { startTestApp, TestApp } from './support/test-app';

// GET /api/auth/options: what the console's sign-in page may offer, read without a token.
describe('auth options (HTTP)', () => {
  describe('with DEV_MODE on', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ DEV_MODE: 'true' });
    });
    afterAll(() => t.close());

    it('answers devMode true without a token, and dev-login works', async () => {
      const res = await t.http.get('/api/auth/options');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ devMode: true, registration: true });
      expect((await t.http.post('/api/auth/dev-login')).status).toBe(200);
    });
  });

  describe('with DEV_MODE off', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ DEV_MODE: 'false' });
    });
    afterAll(() => t.close());

    it('answers devMode false, and dev-login is 404', async () => {
      const res = await t.http.get('/api/auth/options');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ devMode: false, registration: true });
      expect((await t.http.post('/api/auth/dev-login')).status).toBe(404);
    });

    it('ignores a bad bearer token (the route is public)', async () => {
      const res = await t.http.get('/api/auth/options', { token: 'garbage' });
      expect(res.status).toBe(200);
    });
  });
});
