import type { AgentJob } from '@vrs/protocol';
import { Channel } from './channel.js';

/** What the server pushes to a host over its jobs subscription. */
export type AgentMessage = { type: 'job'; job: AgentJob } | { type: 'cancel'; jobId: string };

/**
 * The hosts connected right now, each with the channel of its jobs subscription. A host has at most one:
 * a new subscription (a reconnect) replaces the old one.
 */
export class AgentHub {
  private readonly channels = new Map<string, Channel<AgentMessage>>();
  private readonly listeners = new Set<(hostId: string, online: boolean) => void>();

  /** Takes a host and the subscription's signal; returns its channel, replacing an earlier one. */
  attach(hostId: string, signal: AbortSignal): Channel<AgentMessage> {
    this.channels.get(hostId)?.close();
    const channel = new Channel<AgentMessage>(signal);
    this.channels.set(hostId, channel);
    signal.addEventListener(
      'abort',
      () => {
        if (this.channels.get(hostId) === channel) {
          this.channels.delete(hostId);
          for (const listener of this.listeners) listener(hostId, false);
        }
      },
      { once: true },
    );
    for (const listener of this.listeners) listener(hostId, true);
    return channel;
  }

  /** Takes a host and a message; returns whether the host is connected (and so will get it). */
  push(hostId: string, message: AgentMessage): boolean {
    const channel = this.channels.get(hostId);
    if (!channel || channel.isClosed) return false;
    channel.push(message);
    return true;
  }

  /** Takes a host; returns whether it is connected. */
  online(hostId: string): boolean {
    return this.channels.has(hostId);
  }

  /** Returns the connected hosts. */
  onlineHosts(): string[] {
    return [...this.channels.keys()];
  }

  /** Takes a host; ends its subscription (a revoked host). */
  disconnect(hostId: string): void {
    this.channels.get(hostId)?.close();
  }

  /** Takes a listener called when a host comes online or goes offline. */
  onChange(listener: (hostId: string, online: boolean) => void): void {
    this.listeners.add(listener);
  }
}
