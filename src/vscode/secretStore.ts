import type * as vscode from 'vscode';
import type { SecretStore } from '../core/account/apiKey';

/** Adapts VS Code's SecretStorage (OS keychain backed) to core's SecretStore. */
export function secretStoreFrom(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: (key) => Promise.resolve(secrets.get(key)),
    store: (key, value) => Promise.resolve(secrets.store(key, value)),
    delete: (key) => Promise.resolve(secrets.delete(key)),
  };
}
