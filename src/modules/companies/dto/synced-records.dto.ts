import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTimeProperty, ApiJsonObjectProperty } from '../../../core/openapi/json-schemas';
import { ContactEntity, LocationEntity, ProductEntity } from '../entities/synced-records.entity';
import { PageMetaDto } from './pagination.dto';

const nullableString = (description: string, example?: string) => ApiProperty({ type: 'string', nullable: true, description, example });

class SyncedRecordDto {
  @ApiProperty({ format: 'uuid', description: "Flowgate's id of the record" }) id: string;
  @ApiProperty({ description: "The provider's id (upsert key)", example: '42' }) externalId: string;
  @nullableString('Name as the provider has it (null when it has none)') name: string | null;
  @ApiJsonObjectProperty({ description: "The provider's record as received (its own fields, unchanged)" }) data: Record<string, unknown>;
  @ApiDateTimeProperty({ description: 'Last time a sync wrote the record' }) updatedAt: string;
}

export class LocationDto extends SyncedRecordDto {
  @nullableString('One-line address (null when the provider has none)') address: string | null;

  static from(l: LocationEntity): LocationDto {
    return { id: l.id, externalId: l.externalId, name: l.name, address: l.address, data: l.data, updatedAt: l.updatedAt.toISOString() };
  }
}

export class ContactDto extends SyncedRecordDto {
  @nullableString('Primary email (null when the provider has none)') email: string | null;
  @nullableString('Primary phone number (null when the provider has none)') phone: string | null;

  static from(c: ContactEntity): ContactDto {
    return {
      id: c.id,
      externalId: c.externalId,
      name: c.name,
      email: c.email,
      phone: c.phone,
      data: c.data,
      updatedAt: c.updatedAt.toISOString(),
    };
  }
}

export class ProductDto extends SyncedRecordDto {
  @nullableString('Stock keeping unit (null when the provider has none)') sku: string | null;
  @nullableString('Unit price as a decimal string, so no float rounding (null when the provider has none)', '19.99') price: string | null;
  @nullableString('Description (null when the provider has none)') description: string | null;

  static from(p: ProductEntity): ProductDto {
    return {
      id: p.id,
      externalId: p.externalId,
      name: p.name,
      sku: p.sku,
      price: p.price,
      description: p.description,
      data: p.data,
      updatedAt: p.updatedAt.toISOString(),
    };
  }
}

export class LocationPageDto extends PageMetaDto {
  @ApiProperty({ type: [LocationDto], description: 'Ordered by name, then provider id' }) items: LocationDto[];
}
export class ContactPageDto extends PageMetaDto {
  @ApiProperty({ type: [ContactDto], description: 'Ordered by name, then provider id' }) items: ContactDto[];
}
export class ProductPageDto extends PageMetaDto {
  @ApiProperty({ type: [ProductDto], description: 'Ordered by name, then provider id' }) items: ProductDto[];
}
