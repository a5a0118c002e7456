import { signingKeysFromPem } from '@app/event-store';
import { EventKeys, newSigningKeyPem } from '@app/platform';

/** A fresh event-signing key and its ring, for a store opened outside an app (appends must sign). */
export const throwawayKeys = (): EventKeys => signingKeysFromPem(newSigningKeyPem());
