import { randomUUID } from 'node:crypto';
import { AppConfig } from '../../../core/config/app-config';
import { NangoClient, NangoError } from '../../nango';
import { CompaniesRepository } from '../companies.repository';
import { CompaniesService } from '../companies.service';
import { SyncedRecordsRepository } from '../synced-records.repository';
import { SyncRunsRepository } from '../sync-runs.repository';
import { CompanySyncProcessor } from '../sync/company-sync.processor';
import { SyncSource } from '../sync/sync-source';
import { syncSourceFor } from '../sync/sync-sources';

jest.mock('../companies.repository');
jest.mock('../companies.service');
jest.mock('../synced-records.repository');
jest.mock('../sync-runs.repository');
jest.mock('../sync/sync-sources');

const config = { role: 'all', queue: { workerQueues: ['companySync'] } } as unknown as AppConfig;
const TENANT = randomUUID();
const COMPANY = randomUUID();
const RUN = randomUUID();

const mocked = <T>(cls: unknown): jest.Mocked<T> => new (cls as jest.Mock)() as jest.Mocked<T>;

function setup(pull: SyncSource['pull']) {
  const companies = mocked<CompaniesRepository>(CompaniesRepository);
  const service = mocked<CompaniesService>(CompaniesService);
  const records = mocked<SyncedRecordsRepository>(SyncedRecordsRepository);
  const runs = mocked<SyncRunsRepository>(SyncRunsRepository);
  const nango = { getConnection: jest.fn() } as unknown as NangoClient;
  companies.findById.mockResolvedValue({
    id: COMPANY,
    tenantId: TENANT,
    provider: 'hubspot',
    providerConfigKey: 'hubspot',
    connectionId: 'conn-1',
    connectionConfig: {},
  } as never);
  runs.findById.mockResolvedValue({ id: RUN, status: 'queued' } as never);
  records.upsertMany.mockResolvedValue(undefined as never);
  const source: SyncSource = { name: 'hubspot', entities: ['contacts', 'products'], pull: jest.fn(pull) as never };
  jest.mocked(syncSourceFor).mockReturnValue(source);
  const processor = new CompanySyncProcessor(config, nango, companies, service, records, runs);
  const job = { id: RUN, name: 'sync', data: { tenantId: TENANT, companyId: COMPANY, syncRunId: RUN } };
  return { processor, job, companies, service, records, runs };
}

describe('CompanySyncProcessor', () => {
  it('stores every page and records the counts of a successful run', async () => {
    const { processor, job, runs, records, companies, service } = setup(async (entity, _ctx, onPage) => {
      const rows = entity === 'contacts' ? [{ externalId: 'c1' }, { externalId: 'c2' }] : [{ externalId: 'p1' }];
      await onPage(rows as never);
      return rows.length;
    });

    await expect(processor.process(job as never)).resolves.toEqual({ status: 'succeeded', counts: { contacts: 2, products: 1 } });

    expect(runs.markRunning).toHaveBeenCalledWith(TENANT, RUN);
    expect(records.upsertMany).toHaveBeenCalledTimes(2);
    expect(runs.finish).toHaveBeenCalledWith(TENANT, RUN, 'succeeded', { contacts: 2, products: 1 }, []);
    expect(companies.recordSynced).toHaveBeenCalledWith(TENANT, COMPANY, expect.any(Date));
    expect(service.invalidate).toHaveBeenCalledWith(TENANT);
  });

  it('records a provider error against its entity; the other entities still count (partial)', async () => {
    const { processor, job, runs } = setup(async (entity) => {
      if (entity === 'products') throw new NangoError(429, 'rate_limited', 'HubSpot asked to slow down');
      return 5;
    });

    await expect(processor.process(job as never)).resolves.toEqual({ status: 'partial', counts: { contacts: 5 } });

    expect(runs.finish).toHaveBeenCalledWith(TENANT, RUN, 'partial', { contacts: 5 }, [
      { entity: 'products', message: 'HubSpot asked to slow down', status: 429 },
    ]);
  });

  it('a run already finished (its enqueue was refused) is not run behind the caller', async () => {
    const { processor, job, runs } = setup(async () => 1);
    runs.findById.mockResolvedValue({ id: RUN, status: 'failed' } as never);

    await expect(processor.process(job as never)).resolves.toEqual({ status: 'failed', counts: {} });
    expect(runs.markRunning).not.toHaveBeenCalled();
    expect(runs.finish).not.toHaveBeenCalled();
  });
});
