/** Has a read model processed the event at this global position? How depends on the transport. */
export interface ReadProgress {
  hasProcessed(projection: string, position: number): Promise<boolean>;
}

export const READ_PROGRESS = Symbol('READ_PROGRESS');
