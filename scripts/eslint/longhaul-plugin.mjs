// Longhaul's own lint rules (loaded by eslint.config.mjs). Environment: plain Node (ESLint).
//
//   longhaul/domain-imports   which core domain may import which (the matrix lives in eslint.config.mjs, one place),
//                             and that no core file imports the CLI, the shell, the harness or the helper.
//   longhaul/environment-any  a file whose header says "Environment: any" must be true to it: no Node or Electron
//                             module, no Node-only global (process, Buffer, require, __dirname…), and its runtime
//                             imports are zod or other "Environment: any" files (type-only imports are erased and free).
import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CORE = `${path.sep}src-main${path.sep}core${path.sep}`;
const SRC_MAIN = `${path.sep}src-main${path.sep}`;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
const NODE_GLOBALS = new Set(['process', 'Buffer', 'require', '__dirname', '__filename', 'global', 'module', 'exports', 'setImmediate']);
const ANY_PACKAGES = new Set(['zod']);
const ENV_ANY = /(?<!["'])Environment:(?:\s|\*)*any\b/; // a quoted mention (this file) is not a claim

/** The domain of a file under src-main/core/<domain>/, else null. */
function coreDomain(file) {
  const i = file.indexOf(CORE);
  return i < 0 ? null : file.slice(i + CORE.length).split(path.sep)[0];
}

/** The top folder under src-main/ (core, contract, cli, shell, harness, helper), else null. */
function srcMainArea(file) {
  const i = file.indexOf(SRC_MAIN);
  return i < 0 ? null : file.slice(i + SRC_MAIN.length).split(path.sep)[0];
}

function resolveRelative(fromFile, spec) {
  const base = path.resolve(path.dirname(fromFile), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    try {
      if (fs.statSync(c).isFile()) return c;
    } catch {}
  }
  return base;
}

const headerCache = new Map();
function declaresAny(file) {
  if (!headerCache.has(file)) {
    let head = '';
    try {
      head = fs.readFileSync(file, 'utf8').slice(0, 4000);
    } catch {}
    headerCache.set(file, ENV_ANY.test(leadingComment(head)));
  }
  return headerCache.get(file);
}

/** The comments before the first statement (the file header). */
function leadingComment(text) {
  const m = /^(?:\s*(?:\/\*[\s\S]*?\*\/|\/\/[^\n]*\n))*/.exec(text);
  return m ? m[0] : '';
}

/** Every module specifier a file loads at run time, with its node (type-only imports/exports excluded). */
function moduleSources(context, visit) {
  const onSource = (node, source, typeOnly) => {
    if (source && typeof source.value === 'string' && !typeOnly) visit(node, source.value);
  };
  return {
    ImportDeclaration: (n) => onSource(n, n.source, n.importKind === 'type' || (n.specifiers.length > 0 && n.specifiers.every((s) => s.importKind === 'type'))),
    ExportNamedDeclaration: (n) => onSource(n, n.source, n.exportKind === 'type'),
    ExportAllDeclaration: (n) => onSource(n, n.source, n.exportKind === 'type'),
    ImportExpression: (n) => onSource(n, n.source, false),
    CallExpression: (n) => {
      if (n.callee.type === 'Identifier' && n.callee.name === 'require' && n.arguments[0]?.type === 'Literal') onSource(n, n.arguments[0], false);
    },
  };
}

const domainImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Which core domain may import which (docs/architecture.md).' },
    schema: [{ type: 'object', properties: { matrix: { type: 'object' } }, required: ['matrix'], additionalProperties: false }],
  },
  create(context) {
    const file = context.filename;
    const from = coreDomain(file);
    if (!from || file.endsWith('.test.ts')) return {};
    const matrix = context.options[0].matrix;
    const allowed = matrix[from];
    return moduleSources(context, (node, spec) => {
      if (!spec.startsWith('.')) return;
      const target = resolveRelative(file, spec);
      const area = srcMainArea(target);
      if (area && area !== 'core' && area !== 'contract') {
        context.report({ node, message: `The core must not import src-main/${area}/ (${spec}): the CLI, shell, harness and helper build on the core, never the reverse.` });
        return;
      }
      const to = coreDomain(target);
      if (!to || to === from) return;
      if (!allowed) {
        context.report({ node, message: `core/${from} is not in the domain import matrix (eslint.config.mjs): add it with the domains it may import.` });
      } else if (!allowed.includes(to)) {
        context.report({ node, message: `core/${from} may not import core/${to} (${spec}). Allowed: ${allowed.join(', ') || 'none'}. Move the shared idea down, or pass it in through a delegate; see the matrix in eslint.config.mjs.` });
      }
    });
  },
};

const environmentAny = {
  meta: { type: 'problem', docs: { description: 'A file that says "Environment: any" runs anywhere: browser, Node, Electron.' }, schema: [] },
  create(context) {
    const file = context.filename;
    if (!ENV_ANY.test(leadingComment(context.sourceCode.text))) return {};
    const sources = moduleSources(context, (node, spec) => {
      if (BUILTINS.has(spec) || spec === 'electron' || spec.startsWith('electron/')) {
        context.report({ node, message: `This file says "Environment: any" but imports ${spec}. Remove the import, or say which environment the file needs.` });
      } else if (spec.startsWith('.')) {
        const target = resolveRelative(file, spec);
        if (!declaresAny(target)) context.report({ node, message: `This file says "Environment: any" but imports ${spec}, which does not. Import it as a type only, mark that file "Environment: any" if it is, or change this file's claim.` });
      } else if (!ANY_PACKAGES.has(spec)) {
        context.report({ node, message: `This file says "Environment: any" but imports the package ${spec}; only ${[...ANY_PACKAGES].join(', ')} is known to run everywhere.` });
      }
    });
    return {
      ...sources,
      'Program:exit'(program) {
        // References to configured globals resolve to the global scope's variables; undeclared ones stay in `through`.
        const scope = context.sourceCode.getScope(program);
        const refs = [...scope.through, ...scope.variables.filter((v) => NODE_GLOBALS.has(v.name) && v.defs.length === 0).flatMap((v) => v.references)];
        for (const ref of refs) {
          if (NODE_GLOBALS.has(ref.identifier.name) && ref.isValueReference !== false) {
            context.report({ node: ref.identifier, message: `This file says "Environment: any" but uses the Node global ${ref.identifier.name}. Use a portable equivalent (Uint8Array, TextEncoder, globalThis) or change the claim.` });
          }
        }
      },
    };
  },
};

export default { meta: { name: 'longhaul' }, rules: { 'domain-imports': domainImports, 'environment-any': environmentAny } };
