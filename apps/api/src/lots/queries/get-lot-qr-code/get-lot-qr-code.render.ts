import QRCode, { type QRCodeErrorCorrectionLevel } from 'qrcode';

export const QR_FORMATS = ['svg', 'png'] as const;
export type QrFormat = (typeof QR_FORMATS)[number];

/**
 * M (15 % of the symbol may be lost) survives a scuffed or frosted label
 * without making the symbol too dense for a cheap phone camera; the 4-module
 * quiet zone is what the QR standard asks for.
 */
export const QR_OPTIONS = { errorCorrectionLevel: 'M' as QRCodeErrorCorrectionLevel, margin: 4 };

/** A label printer's PNG: 512 px across, crisp when printed 3 to 4 cm wide. */
export const QR_PNG_WIDTH = 512;

export const QR_CONTENT_TYPES: Record<QrFormat, string> = { svg: 'image/svg+xml', png: 'image/png' };

/** The code for a URL in the format asked for: SVG (scales for print) or PNG. */
export const renderQrCode = async (url: string, format: QrFormat): Promise<Buffer> =>
  format === 'svg'
    ? Buffer.from(await QRCode.toString(url, { ...QR_OPTIONS, type: 'svg' }), 'utf8')
    : QRCode.toBuffer(url, { ...QR_OPTIONS, type: 'png', width: QR_PNG_WIDTH });
