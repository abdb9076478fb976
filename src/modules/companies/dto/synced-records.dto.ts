import { ApiProperty } from '@nestjs/swagger';
import { ContactEntity, LocationEntity, ProductEntity } from '../entities/synced-records.entity';

class SyncedRecordDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ description: "The provider's id (upsert key)" }) externalId: string;
  @ApiProperty({ type: String, nullable: true }) name: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, description: "The provider's record as received" }) data: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class LocationDto extends SyncedRecordDto {
  @ApiProperty({ type: String, nullable: true }) address: string | null;

  static from(l: LocationEntity): LocationDto {
    return { id: l.id, externalId: l.externalId, name: l.name, address: l.address, data: l.data, updatedAt: l.updatedAt.toISOString() };
  }
}

export class ContactDto extends SyncedRecordDto {
  @ApiProperty({ type: String, nullable: true }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) phone: string | null;

  static from(c: ContactEntity): ContactDto {
    return { id: c.id, externalId: c.externalId, name: c.name, email: c.email, phone: c.phone, data: c.data, updatedAt: c.updatedAt.toISOString() };
  }
}

export class ProductDto extends SyncedRecordDto {
  @ApiProperty({ type: String, nullable: true }) sku: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Decimal as a string (no float rounding)' }) price: string | null;
  @ApiProperty({ type: String, nullable: true }) description: string | null;

  static from(p: ProductEntity): ProductDto {
    return { id: p.id, externalId: p.externalId, name: p.name, sku: p.sku, price: p.price, description: p.description, data: p.data, updatedAt: p.updatedAt.toISOString() };
  }
}

export class LocationPageDto {
  @ApiProperty({ type: [LocationDto] }) items: LocationDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
}
export class ContactPageDto {
  @ApiProperty({ type: [ContactDto] }) items: ContactDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
}
export class ProductPageDto {
  @ApiProperty({ type: [ProductDto] }) items: ProductDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() limit: number;
}
