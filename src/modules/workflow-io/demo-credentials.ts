import { generateKeyPairSync } from 'node:crypto';

/**
 * The credentials the files in examples/ refer to by name, with placeholder values that unlock
 * nothing (the seed creates them so the examples import; replace them with real ones to run
 * the workflows against the real services). NASA's DEMO_KEY is NASA's own public demo key.
 */
export interface DemoCredential {
  name: string;
  connectorKey: string;
  authKind: string;
  secrets: Record<string, string>;
}

export const DEMO_CREDENTIALS: DemoCredential[] = [
  {
    name: 'Demo Slack',
    connectorKey: 'slack',
    authKind: 'webhook_url',
    secrets: { webhookUrl: 'https://hooks.slack.com/services/T00000000/B00000000/demoDemoDemoDemo' },
  },
  {
    name: 'Demo Discord',
    connectorKey: 'discord',
    authKind: 'webhook_url',
    secrets: { webhookUrl: 'https://discord.com/api/webhooks/000000000000000000/demo-token' },
  },
  { name: 'Demo OpenWeather', connectorKey: 'openweather', authKind: 'api_key', secrets: { apiKey: 'replace-with-your-openweather-key' } },
  {
    name: 'Demo Twilio',
    connectorKey: 'twilio',
    authKind: 'basic',
    secrets: { accountSid: `AC${'0'.repeat(32)}`, authToken: 'replace-with-your-auth-token' },
  },
  {
    name: 'Demo Salesforce',
    connectorKey: 'salesforce',
    authKind: 'bearer',
    secrets: { accessToken: 'replace-with-a-session-token', instanceUrl: 'https://example.my.salesforce.com' },
  },
  { name: 'Demo NewsAPI', connectorKey: 'newsapi', authKind: 'api_key', secrets: { apiKey: 'replace-with-your-newsapi-key' } },
  { name: 'Demo NASA', connectorKey: 'nasa', authKind: 'api_key', secrets: { apiKey: 'DEMO_KEY' } },
  { name: 'Demo Stripe', connectorKey: 'stripe', authKind: 'api_key', secrets: { secretKey: 'sk_test_replaceWithYourTestSecretKey' } },
  {
    name: 'Demo Google Sheets',
    connectorKey: 'google_sheets',
    authKind: 'google_service_account',
    // A key pair made here and now: a real RSA key (the kind checks it parses) that no Google account knows.
    secrets: {
      type: 'service_account',
      client_email: 'flowgate-demo@replace-with-your-project.iam.gserviceaccount.com',
      private_key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
  },
];
