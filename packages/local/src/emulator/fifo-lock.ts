/** A mutex that hands itself out in request order: statements on one PGlite database queue here. */
export class FifoLock {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  /** Resolves with a release function once every earlier caller has released. */
  async acquire(): Promise<() => void> {
    if (this.held) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next === undefined) this.held = false;
      else next();
    };
  }
}
