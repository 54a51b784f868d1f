import { linkStream, parseLinkUrl } from '../../domain/link.js';
import type { LinkRef } from '../../domain/link.js';
import type { Actor } from '../../events/envelope.js';
import type { EventStore } from '../../events/store.js';

export interface LinkOrigin {
  readonly via: 'import' | 'tag' | 'result';
  readonly taskId?: string | undefined;
  readonly instanceId?: string | undefined;
}

/** Records that a task or instance is associated with an issue or pull request. */
export async function addLink(
  store: EventStore,
  ref: LinkRef,
  origin: LinkOrigin,
  actor?: Actor,
): Promise<void> {
  await store.append(
    linkStream(ref),
    [
      {
        type: 'LinkAdded',
        data: {
          ...ref,
          via: origin.via,
          ...(origin.taskId === undefined ? {} : { taskId: origin.taskId }),
          ...(origin.instanceId === undefined ? {} : { instanceId: origin.instanceId }),
        },
      },
    ],
    { expectedVersion: 'any', actor },
  );
}

/** Records a link from an agent's tag URL; returns the parsed link, or undefined for a non-GitHub URL. */
export async function addLinkFromUrl(
  store: EventStore,
  url: string,
  origin: LinkOrigin,
  actor?: Actor,
): Promise<LinkRef | undefined> {
  const ref = parseLinkUrl(url);
  if (ref) await addLink(store, ref, origin, actor);
  return ref;
}
