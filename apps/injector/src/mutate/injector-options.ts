import type { InjectorSettings } from '@opzero/annotations';

/** Injection token of the injector's settings for the mutate feature. */
export const INJECTOR_OPTIONS = Symbol('INJECTOR_OPTIONS');

export interface InjectorOptions {
  settings: InjectorSettings;
  eventBufferSize: number;
  /** Largest AdmissionReview body read, in bytes; a larger one is answered 413. */
  bodyLimitBytes: number;
}
