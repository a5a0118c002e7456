/** Ids, trace codes and scan ids travel in URLs and QR codes: keep them short and URL-safe. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const ID_RULE = 'must be 1-128 characters of letters, digits, ".", "_", ":" or "-", starting with a letter or digit';

/** The OpenAPI form of an id field (ID_PATTERN), for @ApiProperty. */
export const apiId = (description?: string) => ({ type: 'string', pattern: ID_PATTERN.source, minLength: 1, maxLength: 128, ...(description ? { description } : {}) }) as const;
