/**
 * Workflow variables (`Assign`). A Parallel branch or Map iteration reads the variables of the
 * scopes around it; what it assigns stays in its own scope.
 */
export class VariableScope {
  private readonly values = new Map<string, unknown>();
  constructor(private readonly parent?: VariableScope) {}

  /** Every visible variable, inner scopes shadowing outer ones. */
  all(): Map<string, unknown> {
    const out = this.parent === undefined ? new Map<string, unknown>() : this.parent.all();
    for (const [name, value] of this.values) out.set(name, value);
    return out;
  }

  assign(values: Readonly<Record<string, unknown>>): void {
    for (const [name, value] of Object.entries(values)) this.values.set(name, value);
  }
}
