/**
 * n8n's own `database` binary-data mode, in-process, for the upload bench: the DatabaseManager class
 * of the installed n8n 2.x runtime (n8n/dist/binary-data/database.manager.js) on its own TypeORM
 * repository (@n8n/db BinaryDataRepository) over a real PostgreSQL (scripts/queue.mjs). The table
 * is n8n's BinaryDataFile entity, created by TypeORM from the entity.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export interface PgTarget {
	host: string;
	port: number;
	user: string;
	database: string;
}

/** Where scripts/n8n-runtime.mjs keeps the n8n 2.x runtime (same pin). */
export function n8nRuntimeDir(): string {
	const root = process.env.N8N_RUNTIME_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-powerpost');
	return path.join(root, 'n8n-2.41.1-node-24.21.0');
}

export async function databaseManager(pg: PgTarget, maxFileSizeMb = 1024): Promise<{ manager: unknown; close: () => Promise<void> }> {
	// n8n's entities pick column types (timestamp, bytea) from DB_TYPE when @n8n/db is first loaded
	process.env.DB_TYPE = 'postgresdb';
	const req = createRequire(path.join(n8nRuntimeDir(), 'node_modules', 'n8n', 'package.json'));
	const { DataSource } = req('@n8n/typeorm') as { DataSource: new (o: Record<string, unknown>) => { initialize(): Promise<unknown>; destroy(): Promise<void>; manager: unknown } };
	const db = req('@n8n/db') as { BinaryDataFile: unknown; BinaryDataRepository: new (ds: unknown, config: unknown) => unknown };
	const { DatabaseManager } = req('n8n/dist/binary-data/database.manager.js') as { DatabaseManager: new (repo: unknown, config: unknown) => unknown };
	const ds = new DataSource({
		type: 'postgres',
		host: pg.host,
		port: pg.port,
		username: pg.user,
		password: 'unused-trust-auth',
		database: pg.database,
		entities: [db.BinaryDataFile],
		synchronize: true,
	});
	await ds.initialize();
	const repository = new db.BinaryDataRepository(ds, { type: 'postgresdb' });
	return { manager: new DatabaseManager(repository, { dbMaxFileSize: maxFileSizeMb }), close: () => ds.destroy() };
}
