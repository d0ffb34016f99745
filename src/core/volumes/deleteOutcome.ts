// What to say once a delete was accepted: Spheron may take a while to remove a volume, and the
// message must not say "Deleted" while the Volumes view still shows it deleting.

import type { Volume } from '../domain/types';

/** `listed`: the volume in the list refreshed after the delete, undefined when it is gone. */
export function volumeDeleteMessage(name: string, listed: Pick<Volume, 'status'> | undefined): string {
  if (listed === undefined || listed.status === 'deleted') {
    return `Deleted volume “${name}”.`;
  }
  return `Spheron is deleting volume “${name}”. The Volumes view shows it until it is gone, and it bills until then.`;
}
