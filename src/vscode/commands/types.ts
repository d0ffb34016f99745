import type { Services } from '../services';
import type { CommandId } from './ids';

export interface SpheronCommand {
  readonly id: CommandId;
  /** Used in error messages: "<title> failed: …". */
  readonly title: string;
  run(services: Services, ...args: unknown[]): unknown;
}
