/** A progress bar on stderr when it is a terminal; a line per item otherwise (CI logs). */
export class Progress {
  private count = 0;
  constructor(
    private readonly total: number,
    private readonly quiet: boolean,
  ) {}

  tick(name: string, detail: string): void {
    this.count++;
    if (this.quiet) return;
    if (process.stderr.isTTY) {
      const width = 30;
      const filled = Math.round((this.count / this.total) * width);
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.count}/${this.total} ${name.slice(0, 30).padEnd(30)}`);
    } else {
      process.stderr.write(`${this.count}/${this.total} ${name}: ${detail}\n`);
    }
  }

  done(): void {
    if (!this.quiet && process.stderr.isTTY) process.stderr.write('\n');
  }
}
