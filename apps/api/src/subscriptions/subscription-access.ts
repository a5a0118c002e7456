import type { Role } from '@app/domain';

/** Who may subscribe: every role that reads lots (an ADMIN manages keys and reads none). */
export const SUBSCRIBERS: readonly Role[] = ['REGULATOR', 'INSPECTOR', 'OPERATOR'];
