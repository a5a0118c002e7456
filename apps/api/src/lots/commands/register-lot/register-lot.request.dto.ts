import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsObject, IsOptional, IsPositive, Max, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { apiTimestamp, IsTimestamp } from '../../../common/http/timestamp.validator';
import { PRODUCT_CATEGORIES, ProductCategory, QUANTITY_UNITS, QuantityUnit } from '@app/domain';
import { apiDecimal, IsDecimalNumber } from '../../../common/http/decimal-number.validator';
import { apiId, ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class ProductRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name: string;

  @ApiProperty({ enum: PRODUCT_CATEGORIES })
  @IsIn(PRODUCT_CATEGORIES)
  category: ProductCategory;

  @ApiPropertyOptional({
    pattern: '^(\\d{8}|\\d{12,14})$',
    example: '09506000134352',
    description:
      "The product's GS1 GTIN (8, 12, 13 or 14 digits, valid check digit), stored as GTIN-14. The lot's trace code is then its batch/lot (at most 20 characters) and the code on the pack a GS1 Digital Link",
  })
  @IsOptional()
  @IsString()
  @Matches(/^(\d{8}|\d{12,14})$/, { message: 'product.gtin must be 8, 12, 13 or 14 digits' })
  gtin?: string;
}

export class QuantityRequestDto {
  @ApiProperty({ ...apiDecimal(3, 'KG to 3 decimals, cartons and pieces whole'), exclusiveMinimum: true, minimum: 0, maximum: 1_000_000_000 })
  @IsDecimalNumber(3)
  @IsPositive()
  @Max(1_000_000_000)
  amount: number;

  @ApiProperty({ enum: QUANTITY_UNITS })
  @IsIn(QUANTITY_UNITS)
  unit: QuantityUnit;
}

export class RegisterLotRequestDto {
  @ApiProperty(apiId('The lot\'s trace code (printed on its packs)'))
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode: string;

  @ApiProperty({ type: () => ProductRequestDto })
  @IsObject()
  @ValidateNested()
  @Type(() => ProductRequestDto)
  product: ProductRequestDto;

  @ApiProperty({ pattern: '^[A-Z]{2}$', example: 'BR', description: 'ISO 3166-1 alpha-2 country code' })
  @IsISO31661Alpha2()
  originCountry: string;

  @ApiProperty({ minLength: 1, maxLength: 200 })
  @IsString()
  @Length(1, 200)
  importer: string;

  @ApiProperty({ type: () => QuantityRequestDto })
  @IsObject()
  @ValidateNested()
  @Type(() => QuantityRequestDto)
  quantity: QuantityRequestDto;

  @ApiProperty(apiId('A registered PORT_OF_ENTRY: the lot is held there from now on'))
  @Matches(ID_PATTERN, { message: `portOfEntryId ${ID_RULE}` })
  portOfEntryId: string;

  @ApiProperty(apiTimestamp('When it entered the country (not in the future)'))
  @IsTimestamp()
  enteredAt: string;
}
