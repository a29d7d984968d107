/**
 * Node and credential types for the harness, loaded with n8n-core's real
 * `PackageDirectoryLoader` (so node descriptions get the same post-processing
 * as in n8n: polling parameters, load-options markers, description validation,
 * credential `supportedNodes`), but from the TypeScript sources:
 * `dist/nodes/X/X.node.js` in package.json is loaded from `nodes/X/X.node.ts`.
 */
import './env'; // before n8n-core loads
import { existsSync } from 'node:fs';
import path from 'node:path';

import { PackageDirectoryLoader } from 'n8n-core';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';
import type {
	ICredentialType,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';

import type { CredentialTypeRegistry } from './credentials-helper';

export const PACKAGE_DIR = path.resolve(__dirname, '..', '..');

export type NodeClass = new () => INodeType | IVersionedNodeType;
export type CredentialClass = new () => ICredentialType;

/** `dist/nodes/A/A.node.js` -> `nodes/A/A.node.ts`; `dist/x.json` -> `x.json`. */
export function distToSource(file: string): string {
	const normalized = file.replace(/\\/g, '/').replace(/^\.\//, '');
	if (!normalized.startsWith('dist/')) return normalized;
	const rest = normalized.slice('dist/'.length);
	return rest.endsWith('.js') ? `${rest.slice(0, -3)}.ts` : rest;
}

const FIXTURE_PREFIX = 'harness-class:';

type LoaderInternals = {
	loadClass: (sourcePath: string) => unknown;
	resolvePath: (file: string) => string;
	inferSupportedNodes: () => void;
};

export class HarnessRegistry implements CredentialTypeRegistry {
	readonly packageName: string;
	/** package.json entries whose TypeScript source does not exist (yet). */
	readonly missing: string[] = [];

	private readonly loader: PackageDirectoryLoader;
	private readonly classes = new Map<string, NodeClass | CredentialClass>();
	private readonly registeredNodes = new WeakMap<NodeClass, string>();
	private readonly registeredCredentials = new WeakMap<CredentialClass, string>();
	private readonly extraNodes = new Map<string, INodeType | IVersionedNodeType>();
	private fixtureCounter = 0;

	constructor(packageDir = PACKAGE_DIR) {
		this.loader = new PackageDirectoryLoader(packageDir);
		this.packageName = this.loader.packageName;
		const internals = this.loader as unknown as LoaderInternals;
		const directory = this.loader.directory;
		internals.resolvePath = (file: string) => path.resolve(directory, distToSource(file));
		internals.loadClass = (sourcePath: string) => {
			const custom = this.classes.get(sourcePath);
			if (custom) return new custom();
			const filePath = internals.resolvePath(sourcePath);
			const [className] = path.parse(sourcePath).name.split('.');
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const mod = require(filePath) as Record<string, unknown>;
			const Cls = mod[className] as (new () => unknown) | undefined;
			if (typeof Cls !== 'function') {
				throw new UnexpectedError(`${filePath} does not export a class named "${className}"`);
			}
			return new Cls();
		};
	}

	/** Load every node / credential listed in package.json whose source exists. */
	loadPackage(): void {
		const pkg = (this.loader as unknown as { packageJson: { version?: string; n8n?: { nodes?: string[]; credentials?: string[] } } }).packageJson;
		const exists = (p: string) => existsSync(path.resolve(this.loader.directory, distToSource(p)));
		for (const nodePath of pkg.n8n?.nodes ?? []) {
			if (exists(nodePath)) this.loader.loadNodeFromFile(nodePath, pkg.version);
			else this.missing.push(nodePath);
		}
		for (const credentialPath of pkg.n8n?.credentials ?? []) {
			if (exists(credentialPath)) this.loader.loadCredentialFromFile(credentialPath);
			else this.missing.push(credentialPath);
		}
		(this.loader as unknown as LoaderInternals).inferSupportedNodes();
	}

	/** Register a node class that is not in package.json (test fixtures). Returns its full type name. */
	registerNodeClass(cls: NodeClass): string {
		const known = this.registeredNodes.get(cls);
		if (known) return known;
		const key = `${FIXTURE_PREFIX}${++this.fixtureCounter}/${cls.name}.node.js`;
		this.classes.set(key, cls);
		this.loader.loadNodeFromFile(key);
		const loaded = Object.entries(this.loader.nodeTypes).find(([, v]) => v.sourcePath === key);
		if (!loaded) throw new UnexpectedError(`Could not register node class ${cls.name}`);
		const fullName = this.fullName(loaded[0]);
		this.registeredNodes.set(cls, fullName);
		return fullName;
	}

	/** Register a credential class that is not in package.json (test fixtures). Returns its name. */
	registerCredentialClass(cls: CredentialClass): string {
		const known = this.registeredCredentials.get(cls);
		if (known) return known;
		const key = `${FIXTURE_PREFIX}${++this.fixtureCounter}/${cls.name}.credentials.js`;
		this.classes.set(key, cls);
		this.loader.loadCredentialFromFile(key);
		const loaded = Object.entries(this.loader.credentialTypes).find(([, v]) => v.sourcePath === key);
		if (!loaded) throw new UnexpectedError(`Could not register credential class ${cls.name}`);
		this.registeredCredentials.set(cls, loaded[0]);
		return loaded[0];
	}

	/** Register a node type instance under an exact full type name (harness helper nodes). */
	registerNodeInstance(fullName: string, node: INodeType): void {
		this.extraNodes.set(fullName, node);
	}

	fullName(shortName: string): string {
		return shortName.includes('.') ? shortName : `${this.packageName}.${shortName}`;
	}

	private shortName(type: string): string {
		const prefix = `${this.packageName}.`;
		return type.startsWith(prefix) ? type.slice(prefix.length) : type;
	}

	getNode(type: string): INodeType | IVersionedNodeType | undefined {
		const extra = this.extraNodes.get(type);
		if (extra) return extra;
		return this.loader.nodeTypes[this.shortName(type)]?.type;
	}

	/** Known node type names (full names), for error messages. */
	knownNodes(): string[] {
		return [
			...Object.keys(this.loader.nodeTypes).map((n) => this.fullName(n)),
			...this.extraNodes.keys(),
		];
	}

	get(name: string): ICredentialType | undefined {
		return this.loader.credentialTypes[name]?.type;
	}

	supportedNodes(name: string): string[] {
		const type = this.get(name);
		return (type?.supportedNodes ?? []).map((n) => this.fullName(n));
	}

	readonly nodeTypes: INodeTypes = {
		getByName: (nodeType: string) => {
			const node = this.getNode(nodeType);
			if (!node) throw this.unknown(nodeType);
			return node;
		},
		getByNameAndVersion: (nodeType: string, version?: number) => {
			const node = this.getNode(nodeType);
			if (!node) throw this.unknown(nodeType);
			return NodeHelpers.getVersionedNodeType(node, version);
		},
		getKnownTypes: () => {
			const known: IDataObject = {};
			for (const name of this.knownNodes()) known[name] = {};
			return known;
		},
	} as INodeTypes;

	private unknown(nodeType: string): Error {
		const hint = this.missing.length ? ` Missing sources: ${this.missing.join(', ')}.` : '';
		return new UnexpectedError(
			`Unknown node type "${nodeType}". Known: ${this.knownNodes().join(', ')}.${hint}`,
		);
	}
}
