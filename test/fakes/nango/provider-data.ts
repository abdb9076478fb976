/**
 * Records the Nango fake serves through its proxy, in the providers' own shapes
 * (QuickBooks Online query API objects; HubSpot CRM v3 objects).
 */
export interface QuickBooksData {
  Customer: Array<Record<string, unknown>>;
  Item: Array<Record<string, unknown>>;
  Department: Array<Record<string, unknown>>;
}

export interface HubSpotData {
  contacts: Array<{ id: string; properties: Record<string, unknown>; createdAt: string; updatedAt: string; archived: boolean }>;
  products: Array<{ id: string; properties: Record<string, unknown>; createdAt: string; updatedAt: string; archived: boolean }>;
}

export function quickbooksData(n: { customers: number; items: number; departments: number }, tag = 'qb'): QuickBooksData {
  const meta = { CreateTime: '2026-01-02T10:00:00-08:00', LastUpdatedTime: '2026-01-03T10:00:00-08:00' };
  return {
    Customer: Array.from({ length: n.customers }, (_, i) => ({
      Id: String(i + 1),
      SyncToken: '0',
      DisplayName: `${tag} Customer ${i + 1}`,
      GivenName: `Given${i + 1}`,
      FamilyName: `Family${i + 1}`,
      CompanyName: `${tag} Co ${i + 1}`,
      PrimaryEmailAddr: { Address: `customer${i + 1}@${tag}.example` },
      PrimaryPhone: { FreeFormNumber: `(555) 010-${String(i).padStart(4, '0')}` },
      Active: true,
      Balance: 0,
      MetaData: meta,
    })),
    Item: Array.from({ length: n.items }, (_, i) => ({
      Id: String(100 + i),
      SyncToken: '0',
      Name: `${tag} Item ${i + 1}`,
      Sku: `SKU-${i + 1}`,
      Description: `Item number ${i + 1}`,
      UnitPrice: 10 + i + 0.5,
      Type: 'Service',
      Active: true,
      MetaData: meta,
    })),
    Department: Array.from({ length: n.departments }, (_, i) => ({
      Id: String(1000 + i),
      SyncToken: '0',
      Name: `${tag} Location ${i + 1}`,
      FullyQualifiedName: `${tag} Location ${i + 1}`,
      SubDepartment: false,
      Active: true,
      MetaData: meta,
    })),
  };
}

export function hubspotData(n: { contacts: number; products: number }, tag = 'hs'): HubSpotData {
  const at = '2026-01-02T10:00:00.000Z';
  return {
    contacts: Array.from({ length: n.contacts }, (_, i) => ({
      id: String(5000 + i),
      properties: {
        firstname: `First${i + 1}`,
        lastname: `${tag}Last${i + 1}`,
        email: `contact${i + 1}@${tag}.example`,
        phone: `+1555000${i}`,
        hs_object_id: String(5000 + i),
      },
      createdAt: at,
      updatedAt: at,
      archived: false,
    })),
    products: Array.from({ length: n.products }, (_, i) => ({
      id: String(9000 + i),
      properties: {
        name: `${tag} Product ${i + 1}`,
        price: String(20 + i),
        hs_sku: `HS-${i + 1}`,
        description: `Product ${i + 1}`,
        hs_object_id: String(9000 + i),
      },
      createdAt: at,
      updatedAt: at,
      archived: false,
    })),
  };
}
