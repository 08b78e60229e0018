/**
 * Holds a read transaction open on a database from another process: prints "reading" once its snapshot is
 * taken, and ends the transaction (and exits) when a line arrives on stdin.
 */
import Database from 'better-sqlite3';

const db = new Database(process.argv[2]!, { readonly: true });
db.exec('BEGIN');
db.prepare('SELECT count(*) FROM memories').get();
process.stdout.write('reading\n');
process.stdin.once('data', () => {
  db.exec('COMMIT');
  db.close();
  process.exit(0);
});
