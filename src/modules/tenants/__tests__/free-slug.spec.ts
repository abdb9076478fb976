import type { Repository } from 'typeorm';
import { TenantEntity } from '../entities/tenant.entity';
import { TenantsRepository } from '../tenants.repository';

/** The slug of a new tenant: the name's slug and a random suffix, drawn again while another tenant has it. */
describe('TenantsRepository.freeSlug', () => {
  it('draws another suffix while the slug is taken, and answers the first free one', async () => {
    const asked: string[] = [];
    const taken = new Set<string>();
    const repo = {
      exists: jest.fn(async ({ where }: { where: { slug: string } }) => {
        asked.push(where.slug);
        // the first two draws are taken (as if other tenants of the same name had them)
        if (asked.length <= 2) {
          taken.add(where.slug);
          return true;
        }
        return taken.has(where.slug);
      }),
    } as unknown as Repository<TenantEntity>;
    const slug = await new TenantsRepository(repo).freeSlug('acme');
    expect(asked).toHaveLength(3);
    expect(slug).toBe(asked[2]);
    expect(slug).toMatch(/^acme-[0-9a-f]{8}$/);
    expect(new Set(asked).size).toBe(3);
  });
});
