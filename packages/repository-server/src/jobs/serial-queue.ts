/**
 * Runs async work one at a time per key: the server's lock arbiter (one borg writer per repository, one
 * commit per VM mirror). Work for different keys runs concurrently. A failure does not block later work.
 */
export class SerialQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Takes a key and a function; resolves with its result once every earlier call for that key has settled. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Takes a key (or nothing: every key); resolves once the work queued for it so far has settled. */
  async idle(key?: string): Promise<void> {
    await (key === undefined ? Promise.all(this.tails.values()) : this.tails.get(key));
  }

  /** Takes a key; returns whether work for it is queued or running. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }
}
