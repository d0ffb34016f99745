// The activation shell's look at the remembered tunnels: no zod, no SSH code, just whether there are
// any (src/vscode/ssh/tunnelRestore.ts reads and validates them once the extension has loaded).
import type * as vscode from 'vscode';

export const TUNNEL_MEMORY_KEY = 'spheron.openTunnels';

/** Whether the window has tunnels to bring back. */
export function hasRememberedTunnels(workspaceState: vscode.Memento): boolean {
  const stored = workspaceState.get<unknown>(TUNNEL_MEMORY_KEY);
  return Array.isArray(stored) && stored.length > 0;
}
