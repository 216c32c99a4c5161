import type { Users } from './kit';

// What the users of an X3 config show: the credential's state and X3 not
// answering. An answer does not cure a token trouble, so X3 answering
// again puts the token's status back; a refused refresh token stays on
// top of everything, as only the user can end it.

type Fill = 'green' | 'red' | 'yellow';

export const NOT_ANSWERING = 'X3 not answering';

export class X3ConfigStatus {
  private token?: { fill: Fill; text: string };
  private unanswered = false;
  /** the config node closed: a redeploy gave its users to a new one */
  closed = false;

  constructor(private readonly users: Users) {}

  /** The credential's state to show ('re-authorise X3', 'X3 connected'…). */
  showToken(fill: Fill, text: string): void {
    this.token = { fill, text };
    this.paint();
  }

  /** Whether X3 answers, from lib/x3/reach.ts. */
  answering(yes: boolean): void {
    this.unanswered = !yes;
    this.paint();
  }

  private paint(): void {
    if (this.closed) return;
    if (this.unanswered && this.token?.fill !== 'red') {
      this.users.show('yellow', NOT_ANSWERING);
    } else if (this.token) {
      this.users.show(this.token.fill, this.token.text);
    } else {
      this.users.clearIf(NOT_ANSWERING);
    }
  }
}
