// Whether X3 answers: a call that met no answer (a refused or dropped
// connection, the deadline) makes X3 unanswering; the next answer of any
// status makes it answering again. Only the changes reach the listener,
// so a backlog of failing calls reports once. The X3 config node shows
// them on every node that uses it, not only on the node whose call failed.

export type ReachListener = (problem: string | undefined) => void;

export class X3Reach {
  private problem?: string;

  constructor(private readonly listener: ReachListener) {}

  /** the trouble of the last call, or undefined while X3 answers */
  get trouble(): string | undefined {
    return this.problem;
  }

  answered(): void {
    if (this.problem === undefined) return;
    this.problem = undefined;
    this.listener(undefined);
  }

  unanswered(problem: string): void {
    const was = this.problem;
    this.problem = problem;
    if (was === undefined) this.listener(problem);
  }
}
