import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { RecordedEvent } from '@warm-handover/contracts';
import { EventStore } from '@warm-handover/persistence';

/** How often the store's head is read while a browser listens: a change shows within about a second. */
const POLL_MS = 1000;

export interface Listener {
  /** Whether this event may change what the listener's page shows. */
  concerns(event: RecordedEvent): boolean;
  changed(): void;
}

/**
 * The live update of "Mijn werk": one poller per API process reads the event store's global
 * position while at least one browser listens, and tells each listener whose page an appended
 * event concerns. Polling the head (an index-only read) keeps every writer as it is; a second API
 * process polls on its own, so it scales out without a broker.
 */
@Injectable()
export class WebEvents implements OnModuleDestroy {
  private readonly listeners = new Set<Listener>();
  private position: number | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly logger: PinoLogger,
  ) {
    logger.setContext(WebEvents.name);
  }

  /** The store's position now: a page rendered after this read can listen from it. */
  headPosition(): Promise<number> {
    return this.store.headPosition();
  }

  /**
   * Tells `listener` of every concerning event after `since` (the store position its page was
   * rendered from), so an event appended between the render and this poller's next read is not
   * lost. Going back for a new listener may tell the others of an event twice: they only reload.
   */
  listen(listener: Listener, since?: number): () => void {
    this.listeners.add(listener);
    if (since !== undefined) this.position = this.position === undefined ? since : Math.min(this.position, since);
    if (!this.timer) this.schedule();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.position = undefined;
      }
    };
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.listeners.clear();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.poll()
        .catch((err: unknown) => this.logger.warn({ err }, 'could not read the event store for live updates'))
        .finally(() => {
          if (this.listeners.size > 0) this.schedule();
          else this.timer = undefined;
        });
    }, POLL_MS);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const head = await this.store.headPosition();
    if (this.position === undefined) {
      this.position = head;
      return;
    }
    const told = new Set<Listener>();
    while (this.position < head) {
      const events = await this.store.readAll(this.position, 500);
      if (events.length === 0) break;
      for (const listener of this.listeners) {
        if (!told.has(listener) && events.some((e) => listener.concerns(e))) told.add(listener);
      }
      this.position = events.at(-1)!.globalPosition;
    }
    for (const listener of told) listener.changed();
  }
}

/** Whether an event names the organisation as sender, receiver, party or recipient. */
export function namesOrganisation(event: RecordedEvent, organisation: string): boolean {
  const d = event.data as {
    fromOrg?: string;
    toOrg?: string;
    organisation?: string;
    parties?: readonly string[];
    recipient?: { organisation?: string };
  };
  return (
    d.fromOrg === organisation ||
    d.toOrg === organisation ||
    d.organisation === organisation ||
    d.recipient?.organisation === organisation ||
    (Array.isArray(d.parties) && d.parties.includes(organisation))
  );
}
