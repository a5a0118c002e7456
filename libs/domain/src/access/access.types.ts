/**
 * Who may do what. One role per credential:
 * - ADMIN registers facilities and manages credentials, nothing else;
 * - OPERATOR works at its own facilities (scans, registration at its port, splits, merges, SELL);
 * - INSPECTOR (customs, labs, disinfection services) attaches documents to any lot;
 * - REGULATOR reads everything and locks, unlocks, recalls and destroys.
 */
export const ROLES = ['ADMIN', 'OPERATOR', 'INSPECTOR', 'REGULATOR'] as const;
export type Role = (typeof ROLES)[number];

/** "an ADMIN key", "a REGULATOR key": the article as the role's name is said. */
export const aRole = (role: string): string => `${/^[AEIOU]/.test(role) ? 'an' : 'a'} ${role}`;

/** What every event written on a credential's behalf records about it. */
export interface ActorRef {
  readonly keyId: string;
  readonly name: string;
  readonly role: Role;
}

/** An authenticated credential: who it is and, for an operator, where it may act. */
export interface Principal extends ActorRef {
  /** The facilities an OPERATOR works at; empty for every other role. */
  readonly facilityIds: readonly string[];
}

export const actorOf = (p: Principal): ActorRef => ({ keyId: p.keyId, name: p.name, role: p.role });
