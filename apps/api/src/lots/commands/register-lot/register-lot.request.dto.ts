import { Type } from 'class-transformer';
import { IsIn, IsISO31661Alpha2, IsObject, IsPositive, Max, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { IsTimestamp } from '../../../common/http/timestamp.validator';
import { PRODUCT_CATEGORIES, ProductCategory, QUANTITY_UNITS, QuantityUnit } from '@app/domain';
import { IsDecimalNumber } from '../../../common/http/decimal-number.validator';
import { ID_PATTERN, ID_RULE } from '../../../common/http/identifiers';

export class ProductRequestDto {
  @IsString()
  @Length(1, 200)
  name: string;

  @IsIn(PRODUCT_CATEGORIES)
  category: ProductCategory;
}

export class QuantityRequestDto {
  @IsDecimalNumber(3)
  @IsPositive()
  @Max(1_000_000_000)
  amount: number;

  @IsIn(QUANTITY_UNITS)
  unit: QuantityUnit;
}

export class RegisterLotRequestDto {
  @Matches(ID_PATTERN, { message: `traceCode ${ID_RULE}` })
  traceCode: string;

  @IsObject()
  @ValidateNested()
  @Type(() => ProductRequestDto)
  product: ProductRequestDto;

  @IsISO31661Alpha2()
  originCountry: string;

  @IsString()
  @Length(1, 200)
  importer: string;

  @IsObject()
  @ValidateNested()
  @Type(() => QuantityRequestDto)
  quantity: QuantityRequestDto;

  @Matches(ID_PATTERN, { message: `portOfEntryId ${ID_RULE}` })
  portOfEntryId: string;

  @IsTimestamp()
  enteredAt: string;
}
