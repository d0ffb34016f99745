import type { ContextKeys } from './contextKeys';
import type { ChannelLogger } from './logger';

/** Everything commands and views need, built once in activate(). */
export interface Services {
  readonly logger: ChannelLogger;
  readonly contextKeys: ContextKeys;
}
