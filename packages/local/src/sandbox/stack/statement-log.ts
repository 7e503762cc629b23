/**
 * The SQL statements of the sandbox, as the report and the progress display show them: each
 * completion event from the Data API emulator is described (DescribeStatement) and attributed to
 * the state whose task token named it (`statementNameForToken`).
 */
import { DescribeStatementCommand, type RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { statementNameForToken } from '@stepshift/runtime';
import type { BusEvent } from '../bus/event-bus.js';
import type { TaskTokenRegistry } from '../tokens/task-token-registry.js';

export interface StatementRecord {
  readonly id: string;
  readonly name?: string;
  readonly stateName?: string;
  readonly executionArn?: string;
  readonly sql: string;
  readonly status: string;
  readonly startedAt: Date;
  readonly endedAt?: Date;
  readonly durationMs?: number;
  readonly rows?: number;
  readonly error?: string;
}

export type StatementListener = (statement: StatementRecord) => void;

const NANOS_PER_MS = 1_000_000;

export class StatementLog {
  readonly statements: StatementRecord[] = [];
  private readonly owners = new Map<string, { stateName: string; executionArn: string }>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly client: RedshiftDataClient,
    tokens: TaskTokenRegistry,
    statementPrefix: string,
    private readonly listeners: readonly StatementListener[] = [],
  ) {
    tokens.onIssue((token, info) =>
      this.owners.set(statementNameForToken(statementPrefix, token), info),
    );
  }

  /** Records a Data API completion event (call before the bus can drop it). */
  record(event: BusEvent): void {
    const detail = event.detail as { statementId?: unknown; statementName?: unknown } | null;
    if (typeof detail?.statementId !== 'string') return;
    const id = detail.statementId;
    const name = typeof detail.statementName === 'string' ? detail.statementName : undefined;
    const work = this.describe(id, name).finally(() => this.pending.delete(work));
    this.pending.add(work);
  }

  /** Statements of one execution, in completion order. */
  forExecution(executionArn: string): StatementRecord[] {
    return this.statements.filter((s) => s.executionArn === executionArn);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async describe(id: string, name: string | undefined): Promise<void> {
    try {
      const d = await this.client.send(new DescribeStatementCommand({ Id: id }));
      const owner = name === undefined ? undefined : this.owners.get(name);
      const startedAt = d.CreatedAt ?? new Date();
      const record: StatementRecord = {
        id,
        ...(name === undefined ? {} : { name }),
        ...(owner === undefined
          ? {}
          : { stateName: owner.stateName, executionArn: owner.executionArn }),
        sql: d.QueryString ?? d.SubStatements?.map((s) => s.QueryString ?? '').join(';\n') ?? '',
        status: d.Status ?? 'UNKNOWN',
        startedAt,
        ...(d.UpdatedAt === undefined ? {} : { endedAt: d.UpdatedAt }),
        ...(d.Duration === undefined || d.Duration < 0
          ? {}
          : { durationMs: Math.round(d.Duration / NANOS_PER_MS) }),
        ...(d.ResultRows === undefined || d.ResultRows < 0 ? {} : { rows: d.ResultRows }),
        ...(d.Error === undefined ? {} : { error: d.Error }),
      };
      this.statements.push(record);
      for (const listener of this.listeners) listener(record);
    } catch {
      // A statement the emulator no longer knows: nothing to show.
    }
  }
}
