export const APP_CONFIG = Symbol('APP_CONFIG');

/** The event-signing key and the public keys accepted on events (EventKeys, from EVENT_SIGNING_KEY_FILE). */
export const EVENT_KEYS = Symbol('EVENT_KEYS');
