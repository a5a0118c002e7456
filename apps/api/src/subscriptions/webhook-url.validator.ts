import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUrl, MaxLength } from 'class-validator';

/**
 * Where a subscription's deliveries go (a webhook's `url`, an EPCIS
 * subscription's `dest`): an absolute http(s) URL of at most 2000
 * characters, else 400; whether it may be a target is judged after
 * (WebhookTargets: 422 WEBHOOK_URL_NOT_ALLOWED).
 */
export const IsTargetUrl = (field: string, example: string): PropertyDecorator =>
  applyDecorators(
    ApiProperty({ maxLength: 2000, format: 'uri', example }),
    IsString(),
    MaxLength(2000),
    IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true }, { message: `${field} must be an absolute http(s) URL` }),
  );
