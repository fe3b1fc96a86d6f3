/**
 * COPY FROM STDIN in PostgreSQL's binary format through the `pg` client, with no extra process and
 * no text escaping: the floor baseline lands Kafka records as (key text, value bytea) rows this way.
 */
import type pg from 'pg';

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** A COPY binary stream of (text, bytea) tuples: header, one tuple per row, trailer. */
export function copyBinary(rows: readonly { key: string; value: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const header = Buffer.alloc(SIGNATURE.length + 8);
  SIGNATURE.copy(header, 0); // then flags (0) and header extension length (0)
  parts.push(header);
  for (const r of rows) {
    const key = Buffer.from(r.key);
    const h = Buffer.allocUnsafe(2 + 4 + key.length + 4);
    h.writeInt16BE(2, 0);
    h.writeInt32BE(key.length, 2);
    key.copy(h, 6);
    h.writeInt32BE(r.value.length, 6 + key.length);
    parts.push(h, r.value);
  }
  const trailer = Buffer.allocUnsafe(2);
  trailer.writeInt16BE(-1, 0);
  parts.push(trailer);
  return Buffer.concat(parts);
}

interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** A pg "submittable" that runs one COPY ... FROM STDIN with a ready-made body. */
class CopyIn {
  private error: Error | undefined;
  private rowCount = 0;
  constructor(
    private readonly text: string,
    private readonly body: Buffer,
    private readonly done: (error: Error | undefined, rows: number) => void,
  ) {}
  submit(connection: { query(text: string): void }): void {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: CopyConnection): void {
    connection.sendCopyFromChunk(this.body);
    connection.endCopyFrom();
  }
  handleCommandComplete(msg: { text?: string }): void {
    const m = /COPY (\d+)/.exec(msg.text ?? '');
    if (m) this.rowCount = Number(m[1]);
  }
  handleError(error: Error): void {
    this.error = error;
  }
  handleReadyForQuery(): void {
    this.done(this.error, this.rowCount);
  }
  // Messages a COPY FROM never gets; present because the client may call them on any query.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleEmptyQuery(): void {}
  handleCopyData(): void {}
}

/** COPY `rows` into `table` (key text, value bytea); resolves with the rows PostgreSQL counted. */
export function copyIn(
  client: pg.Client,
  table: string,
  rows: readonly { key: string; value: Buffer }[],
): Promise<number> {
  const body = copyBinary(rows);
  return new Promise((resolve, reject) => {
    const submittable = new CopyIn(`copy ${table} (k, v) from stdin with (format binary)`, body, (e, n) =>
      e ? reject(e) : resolve(n),
    );
    void (client.query as unknown as (q: unknown) => unknown)(submittable);
  });
}
