#!/usr/bin/env node
// Parses Bicep files with tree-sitter-bicep (no Bicep CLI needed) and prints, as JSON, what the infrastructure tests
// assert on: per file its syntax errors (every ERROR or MISSING node, with line and column, 1-based) and its
// declarations: targetScope, params (type, default, decorators), vars, resources (type, apiVersion, parent, condition,
// loop, body), modules (path, params) and outputs.
//
// Usage: node infra/parse-bicep.mjs [file-or-directory ...]   (default: every .bicep file under infra/)
// Exit code: 0 when every file parsed cleanly, 1 when any has a syntax error, 2 on bad usage.
//
// Values are JSON: object literals become objects, arrays arrays, literal strings/numbers/booleans/null themselves;
// anything else (a reference, a call, an interpolated string, a ternary, ...) becomes { "expr": "<source text>" }.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Parser = require('tree-sitter');
const Bicep = require('tree-sitter-bicep');

const here = path.dirname(fileURLToPath(import.meta.url));

export function parseSource(source) {
  const parser = new Parser();
  parser.setLanguage(Bicep);
  // The native binding reads the source in chunks; a callback lifts its 32 KiB limit on one string.
  const tree = parser.parse((index) => source.slice(index, index + 8192));
  return tree;
}

function errorsOf(root) {
  const errors = [];
  const walk = (node) => {
    if (node.type === 'ERROR' || node.isMissing) {
      errors.push({
        kind: node.isMissing ? 'MISSING' : 'ERROR',
        line: node.startPosition.row + 1,
        column: node.startPosition.column + 1,
        text: node.isMissing ? node.type : node.text.slice(0, 80),
      });
      if (node.type === 'ERROR') return;
    }
    for (const child of node.children) walk(child);
  };
  if (root.hasError || root.type === 'ERROR') walk(root);
  return errors;
}

const named = (node) => node.namedChildren.filter((c) => c.type !== 'comment');

function stringValue(node) {
  // A literal string is a `string` whose named children are only string_content / escape_sequence.
  let text = '';
  for (const child of node.namedChildren) {
    if (child.type === 'string_content') text += child.text;
    else if (child.type === 'escape_sequence') text += unescape(child.text);
    else return undefined; // interpolation
  }
  return text;
}

function unescape(sequence) {
  const map = { "\\'": "'", '\\\\': '\\', '\\n': '\n', '\\r': '\r', '\\t': '\t', '\\$': '$' };
  if (map[sequence] !== undefined) return map[sequence];
  const unicode = /^\\u\{([0-9a-fA-F]+)\}$/.exec(sequence);
  return unicode ? String.fromCodePoint(parseInt(unicode[1], 16)) : sequence;
}

function keyOf(node) {
  if (node.type === 'string') return stringValue(node) ?? node.text;
  return node.text;
}

export function valueOf(node) {
  switch (node.type) {
    case 'object': {
      const result = {};
      for (const property of named(node)) {
        if (property.type !== 'object_property') continue;
        const parts = named(property).filter((c) => c.type !== 'decorators' && c.type !== 'decorator');
        if (parts.length < 2) continue;
        const [key, value] = parts;
        // Nested child resources are reported as resources of their own, not as properties.
        if (value.type === 'resource_declaration') continue;
        result[keyOf(key)] = valueOf(value);
      }
      return result;
    }
    case 'array':
      return named(node).map(valueOf);
    case 'string': {
      const text = stringValue(node);
      return text !== undefined ? text : { expr: node.text };
    }
    case 'multiline_string':
      return node.text.replace(/^'''\r?\n?/, '').replace(/'''$/, '');
    case 'number':
      return Number(node.text);
    case 'boolean':
      return node.text === 'true';
    case 'null':
      return null;
    case 'parenthesized_expression': {
      const inner = named(node);
      return inner.length === 1 ? valueOf(inner[0]) : { expr: node.text };
    }
    default:
      return { expr: node.text };
  }
}

// Decorators precede a declaration as a sibling `decorators` node.
function decoratorsOf(decorators) {
  const result = [];
  for (const child of decorators ? [decorators] : []) {
    for (const decorator of child.namedChildren) {
      if (decorator.type !== 'decorator') continue;
      const call = decorator.namedChildren[0];
      if (!call) continue;
      if (call.type === 'call_expression') {
        const fn = call.childForFieldName('function') ?? call.namedChildren[0];
        const args = call.namedChildren.find((c) => c.type === 'arguments');
        result.push({ name: fn.text.replace(/^sys\./, ''), args: args ? named(args).map(valueOf) : [] });
      } else {
        result.push({ name: call.text.replace(/^sys\./, ''), args: [] });
      }
    }
  }
  return result;
}

// The body of a resource or module: an object, `if (cond) {...}`, or `[for x in y: {...}]` (possibly with an if).
function bodyOf(node) {
  let condition = null;
  let loop = null;
  let current = node;
  for (;;) {
    if (current.type === 'object') return { body: current, condition, loop };
    if (current.type === 'if_statement') {
      const parts = named(current);
      condition = parts[0].text;
      current = parts[parts.length - 1];
      continue;
    }
    if (current.type === 'for_statement') {
      const parts = named(current);
      loop = current.text.slice(0, current.text.indexOf(':')).replace(/^\[\s*/, '').trim();
      current = parts[parts.length - 1];
      continue;
    }
    if (current.type === 'array') {
      const parts = named(current);
      if (parts.length === 1) { current = parts[0]; continue; }
    }
    return { body: null, condition, loop, text: current.text };
  }
}

function resourcesOf(declaration, parent, out, decorators = null) {
  const parts = named(declaration).filter((c) => c.type !== 'decorators');
  const symbol = parts[0].text;
  const typeNode = parts.find((c) => c.type === 'string');
  const typeText = stringValue(typeNode) ?? typeNode.text;
  const existing = declaration.children.some((c) => c.type === 'existing' || c.text === 'existing');
  const bodyNode = parts[parts.length - 1];
  const { body, condition, loop } = bodyOf(bodyNode);
  let [type, apiVersion] = typeText.split('@');
  if (parent && !typeText.includes('/')) {
    // A nested child: its type is relative to the parent and it shares the parent's API version unless it names one.
    type = `${parent.type}/${type}`;
    apiVersion = apiVersion ?? parent.apiVersion;
  }
  const properties = body ? valueOf(body) : null;
  const resource = {
    symbol,
    type,
    apiVersion: apiVersion ?? null,
    existing,
    parent: parent ? parent.symbol : null,
    condition,
    loop,
    decorators: decoratorsOf(decorators),
    body: properties,
    line: declaration.startPosition.row + 1,
  };
  if (!parent && properties && properties.parent && properties.parent.expr) {
    resource.parent = properties.parent.expr;
  }
  out.push(resource);
  if (body) {
    for (const property of named(body)) {
      if (property.type !== 'object_property') continue;
      const child = named(property).find((c) => c.type === 'resource_declaration');
      if (child) resourcesOf(child, resource, out);
    }
  }
}

export function extract(source) {
  const tree = parseSource(source);
  const root = tree.rootNode;
  const result = {
    errors: errorsOf(root),
    targetScope: null,
    params: [],
    vars: [],
    resources: [],
    modules: [],
    outputs: [],
    imports: [],
  };
  let decorators = null;
  for (const node of named(root)) {
    if (node.type === 'decorators') {
      decorators = node;
      continue;
    }
    switch (node.type) {
      case 'target_scope_assignment': {
        const value = named(node).find((c) => c.type === 'string');
        result.targetScope = value ? stringValue(value) : node.text;
        break;
      }
      case 'parameter_declaration': {
        const parts = named(node).filter((c) => c.type !== 'decorators');
        const typeNode = parts[1];
        const defaultNode = parts.length > 2 ? parts[parts.length - 1] : null;
        result.params.push({
          name: parts[0].text,
          type: typeNode ? typeNode.text : null,
          hasDefault: defaultNode !== null,
          default: defaultNode ? valueOf(defaultNode) : null,
          decorators: decoratorsOf(decorators),
          line: node.startPosition.row + 1,
        });
        break;
      }
      case 'variable_declaration': {
        const parts = named(node).filter((c) => c.type !== 'decorators');
        result.vars.push({ name: parts[0].text, value: valueOf(parts[parts.length - 1]), line: node.startPosition.row + 1 });
        break;
      }
      case 'resource_declaration':
        resourcesOf(node, null, result.resources, decorators);
        break;
      case 'module_declaration': {
        const parts = named(node).filter((c) => c.type !== 'decorators');
        const pathNode = parts.find((c) => c.type === 'string');
        const { body, condition, loop } = bodyOf(parts[parts.length - 1]);
        const value = body ? valueOf(body) : null;
        result.modules.push({
          symbol: parts[0].text,
          path: pathNode ? stringValue(pathNode) ?? pathNode.text : null,
          condition,
          loop,
          params: value && value.params ? value.params : {},
          body: value,
          line: node.startPosition.row + 1,
        });
        break;
      }
      case 'output_declaration': {
        const parts = named(node).filter((c) => c.type !== 'decorators');
        result.outputs.push({
          name: parts[0].text,
          type: parts.length > 2 ? parts[1].text : null,
          value: valueOf(parts[parts.length - 1]),
          decorators: decoratorsOf(decorators),
          line: node.startPosition.row + 1,
        });
        break;
      }
      case 'import_statement':
      case 'import_with_statement':
      case 'import_functionality':
        result.imports.push(node.text);
        break;
      default:
        break;
    }
    decorators = null;
  }
  return result;
}

function bicepFilesUnder(target) {
  const stat = fs.statSync(target);
  if (stat.isFile()) return [target];
  const files = [];
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) files.push(...bicepFilesUnder(full));
    else if (entry.name.endsWith('.bicep')) files.push(full);
  }
  return files.sort();
}

function main(argv) {
  const targets = argv.length > 0 ? argv : [here];
  const files = [];
  for (const target of targets) {
    if (!fs.existsSync(target)) {
      process.stderr.write(`parse-bicep: ${target} does not exist\n`);
      return 2;
    }
    files.push(...bicepFilesUnder(target));
  }
  const base = process.cwd();
  const output = { parser: { 'tree-sitter': require('tree-sitter/package.json').version, 'tree-sitter-bicep': require('tree-sitter-bicep/package.json').version }, files: [] };
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    output.files.push({ path: path.relative(base, file).split(path.sep).join('/'), ...extract(source) });
  }
  process.stdout.write(JSON.stringify(output, null, 2) + '\n');
  return output.files.some((f) => f.errors.length > 0) ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
