import { basename } from 'node:path';
import type { AssemblyStack, TemplateResource } from './cloud-assembly.js';
import { UnresolvableIntrinsicError } from './errors.js';
import {
  arnOf,
  attributeOf,
  generatedName,
  nameProperty,
  refOf,
  type Environment,
} from './resource-identity.js';

/** `{"Ref": "AWS::NoValue"}`: the property or list item is removed. */
const NO_VALUE = Symbol('AWS::NoValue');

/** Availability zones `Fn::GetAZs` returns for the sandbox's region. */
const AVAILABILITY_ZONE_SUFFIXES = ['a', 'b', 'c'];

/** A fixed stack id: CloudFormation's format, a made-up UUID. */
const STACK_ID_UUID = '00000000-0000-4000-8000-000000000000';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `where` for a property of `where`: `a.b`, `a["Fn::Join"]`, `a[3]`. */
export function at(where: string, key: string | number): string {
  if (typeof key === 'number') return `${where}[${key}]`;
  return /^[A-Za-z_][\w]*$/.test(key) ? `${where}.${key}` : `${where}[${JSON.stringify(key)}]`;
}

/**
 * Resolves CloudFormation intrinsic functions against one stack's template: `Ref`,
 * `Fn::GetAtt`, `Fn::Join`, `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::If` (with the
 * template's conditions), `Fn::FindInMap`, `Fn::GetAZs`, `Fn::Base64`, `Fn::ToJsonString`,
 * and the pseudo parameters. Parameters take their `Default`.
 *
 * Intrinsic function reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html
 */
export class TemplateResolver {
  private readonly resources: Record<string, TemplateResource>;
  private readonly naming = new Set<string>();
  private readonly names = new Map<string, string>();

  constructor(
    readonly stack: AssemblyStack,
    readonly env: Environment,
  ) {
    this.resources = stack.template.Resources ?? {};
  }

  /** Where a value sits, for messages: `EtlStack.template.json Resources.X.Properties...`. */
  location(path: string): string {
    return `${basename(this.stack.templateFile)} ${path}`;
  }

  private fail(intrinsic: unknown, where: string, reason: string): never {
    throw new UnresolvableIntrinsicError(
      `cannot resolve ${JSON.stringify(intrinsic)} at ${this.location(where)}: ${reason}`,
    );
  }

  /** Resolves every intrinsic inside `value`; `where` is its path in the template. */
  resolve(value: unknown, where: string): unknown {
    const resolved = this.resolveValue(value, where);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** Resolves `value` and requires a string (numbers are turned into strings). */
  resolveString(value: unknown, where: string): string {
    const resolved = this.resolve(value, where);
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    return this.fail(value, where, `it resolves to ${JSON.stringify(resolved)}, not a string`);
  }

  /** The physical name of a resource: its name property when set, else a generated one. */
  physicalName(logicalId: string, where: string): string {
    const cached = this.names.get(logicalId);
    if (cached !== undefined) return cached;
    const resource = this.resources[logicalId];
    if (!resource)
      return this.fail({ Ref: logicalId }, where, `no resource ${logicalId} in the template`);
    const property = nameProperty(resource.Type);
    const explicit = property === undefined ? undefined : resource.Properties?.[property];
    let name: string;
    if (explicit === undefined) {
      name = generatedName(resource.Type, logicalId, this.stack.stackName);
    } else {
      if (this.naming.has(logicalId)) {
        return this.fail({ Ref: logicalId }, where, `the name of ${logicalId} refers to itself`);
      }
      this.naming.add(logicalId);
      try {
        name = this.resolveString(explicit, `Resources.${logicalId}.Properties.${property}`);
      } finally {
        this.naming.delete(logicalId);
      }
    }
    this.names.set(logicalId, name);
    return name;
  }

  /** The ARN of a resource (for Lambda functions: `arn:aws:lambda:<region>:<account>:function:<name>`). */
  arn(logicalId: string, where: string): string {
    const resource = this.resources[logicalId];
    if (!resource)
      return this.fail(
        { 'Fn::GetAtt': [logicalId, 'Arn'] },
        where,
        `no resource ${logicalId} in the template`,
      );
    return arnOf(resource.Type, logicalId, this.physicalName(logicalId, where), this.env);
  }

  private resolveValue(value: unknown, where: string): unknown {
    if (Array.isArray(value)) {
      return value.map((v, i) => this.resolveValue(v, at(where, i))).filter((v) => v !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1) {
      const key = keys[0]!;
      if (key === 'Ref' || key.startsWith('Fn::') || key === 'Condition') {
        return this.intrinsic(key, value[key], value, at(where, key));
      }
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const r = this.resolveValue(v, at(where, k));
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private intrinsic(fn: string, arg: unknown, whole: unknown, where: string): unknown {
    switch (fn) {
      case 'Ref':
        if (typeof arg !== 'string')
          return this.fail(whole, where, 'Ref takes a logical id or parameter name');
        return this.ref(arg, whole, where);
      case 'Fn::GetAtt':
        return this.getAtt(arg, whole, where);
      case 'Fn::Join': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
          return this.fail(whole, where, 'Fn::Join takes [delimiter, [values]]');
        }
        const list = this.resolve(arg[1], at(where, 1));
        if (!Array.isArray(list))
          return this.fail(whole, where, 'the second argument of Fn::Join must be a list');
        return list
          .map((item, i) => {
            if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean')
              return String(item);
            return this.fail(
              arg[1],
              at(at(where, 1), i),
              `a joined value resolves to ${JSON.stringify(item)}, not a string`,
            );
          })
          .join(arg[0]);
      }
      case 'Fn::Sub':
        return this.sub(arg, whole, where);
      case 'Fn::Select': {
        if (!Array.isArray(arg) || arg.length !== 2)
          return this.fail(whole, where, 'Fn::Select takes [index, list]');
        const index = Number(this.resolve(arg[0], at(where, 0)));
        const list = this.resolve(arg[1], at(where, 1));
        if (!Array.isArray(list) || !Number.isInteger(index) || index < 0 || index >= list.length) {
          return this.fail(
            whole,
            where,
            `index ${index} is not within the list ${JSON.stringify(list)}`,
          );
        }
        return list[index];
      }
      case 'Fn::Split': {
        if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string') {
          return this.fail(whole, where, 'Fn::Split takes [delimiter, string]');
        }
        return this.resolveString(arg[1], at(where, 1)).split(arg[0]);
      }
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') {
          return this.fail(
            whole,
            where,
            'Fn::If takes [condition name, value if true, value if false]',
          );
        }
        return this.condition(arg[0], where)
          ? this.resolveValue(arg[1], at(where, 1))
          : this.resolveValue(arg[2], at(where, 2));
      }
      case 'Condition':
        if (typeof arg !== 'string')
          return this.fail(whole, where, 'Condition takes a condition name');
        return this.condition(arg, where);
      case 'Fn::Equals': {
        if (!Array.isArray(arg) || arg.length !== 2)
          return this.fail(whole, where, 'Fn::Equals takes two values');
        return (
          JSON.stringify(this.resolve(arg[0], at(where, 0))) ===
          JSON.stringify(this.resolve(arg[1], at(where, 1)))
        );
      }
      case 'Fn::Not':
      case 'Fn::And':
      case 'Fn::Or': {
        if (!Array.isArray(arg)) return this.fail(whole, where, `${fn} takes a list of conditions`);
        const values = arg.map((c, i) => this.resolve(c, at(where, i)));
        if (values.some((v) => typeof v !== 'boolean'))
          return this.fail(whole, where, `${fn} takes conditions`);
        if (fn === 'Fn::Not') return !values[0];
        return fn === 'Fn::And' ? values.every(Boolean) : values.some(Boolean);
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(arg) || arg.length < 3)
          return this.fail(whole, where, 'Fn::FindInMap takes [map, top key, second key]');
        const [map, top, second] = arg
          .slice(0, 3)
          .map((a, i) => this.resolveString(a, at(where, i)));
        const found = this.stack.template.Mappings?.[map!]?.[top!]?.[second!];
        if (found === undefined)
          return this.fail(whole, where, `Mappings has no ${map}.${top}.${second}`);
        return found;
      }
      case 'Fn::GetAZs':
        return AVAILABILITY_ZONE_SUFFIXES.map((s) => `${this.env.region}${s}`);
      case 'Fn::Base64':
        return Buffer.from(this.resolveString(arg, where), 'utf8').toString('base64');
      case 'Fn::ToJsonString':
        return JSON.stringify(this.resolve(arg, where));
      case 'Fn::ImportValue':
        return this.fail(
          whole,
          where,
          'Fn::ImportValue reads an output exported by another deployed stack, which a cloud assembly does not hold; pass the value in directly (for example through a literal or a stack parameter with a Default)',
        );
      default:
        return this.fail(whole, where, `${fn} is not supported by the sandbox's template reader`);
    }
  }

  private ref(name: string, whole: unknown, where: string): unknown {
    const { env, stack } = this;
    switch (name) {
      case 'AWS::Region':
        return env.region;
      case 'AWS::AccountId':
        return env.accountId;
      case 'AWS::Partition':
        return env.partition;
      case 'AWS::URLSuffix':
        return env.urlSuffix;
      case 'AWS::StackName':
        return stack.stackName;
      case 'AWS::StackId':
        return `arn:${env.partition}:cloudformation:${env.region}:${env.accountId}:stack/${stack.stackName}/${STACK_ID_UUID}`;
      case 'AWS::NotificationARNs':
        return [];
      case 'AWS::NoValue':
        return NO_VALUE;
      default:
        break;
    }
    const parameter = stack.template.Parameters?.[name];
    const passed = stack.parent?.parameters[name];
    if (parameter && passed !== undefined && stack.parent) {
      // A nested stack's parameter: the value its parent passes, resolved in the parent.
      return new TemplateResolver(stack.parent.stack, this.env).resolve(
        passed,
        `Resources.${stack.parent.logicalId}.Properties.Parameters.${name}`,
      );
    }
    if (parameter) {
      if (parameter.Default === undefined) {
        return this.fail(
          whole,
          where,
          `parameter ${name} has no Default, so its value is only known at deploy time; give it a Default`,
        );
      }
      const type = parameter.Type ?? 'String';
      return type === 'CommaDelimitedList' || type.startsWith('List<')
        ? String(parameter.Default).split(',')
        : parameter.Default;
    }
    const resource = this.resources[name];
    if (!resource) {
      return this.fail(
        whole,
        where,
        `${name} is neither a resource, a parameter nor a pseudo parameter of this template`,
      );
    }
    return refOf(resource.Type, name, this.physicalName(name, where), env);
  }

  private getAtt(arg: unknown, whole: unknown, where: string): unknown {
    let logicalId: unknown;
    let attribute: unknown;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      [logicalId, attribute] = dot < 0 ? [arg, ''] : [arg.slice(0, dot), arg.slice(dot + 1)];
    } else if (Array.isArray(arg) && arg.length === 2) {
      logicalId = arg[0];
      attribute = this.resolve(arg[1], at(where, 1));
    }
    if (typeof logicalId !== 'string' || typeof attribute !== 'string') {
      return this.fail(whole, where, 'Fn::GetAtt takes [logical id, attribute name]');
    }
    const resource = this.resources[logicalId];
    if (!resource) return this.fail(whole, where, `no resource ${logicalId} in the template`);
    const value = attributeOf(
      resource.Type,
      logicalId,
      this.physicalName(logicalId, where),
      attribute,
      this.env,
    );
    if (value === undefined) {
      return this.fail(
        whole,
        where,
        `the reader does not know the ${attribute} attribute of ${resource.Type}`,
      );
    }
    return value;
  }

  private sub(arg: unknown, whole: unknown, where: string): string {
    let text: unknown = arg;
    let variables: Record<string, unknown> = {};
    if (Array.isArray(arg)) {
      if (arg.length !== 2 || !isObject(arg[1]))
        return this.fail(whole, where, 'Fn::Sub takes a string or [string, {variables}]');
      text = arg[0];
      variables = arg[1];
    }
    if (typeof text !== 'string')
      return this.fail(whole, where, 'the template of Fn::Sub must be a literal string');
    return text.replace(/\$\{([^}]*)\}/g, (match, inner: string) => {
      if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
      const name = inner.trim();
      if (name in variables) return this.resolveString(variables[name], at(at(where, 1), name));
      const dot = name.indexOf('.');
      const resolved =
        dot > 0 && !name.startsWith('AWS::')
          ? this.getAtt([name.slice(0, dot), name.slice(dot + 1)], whole, where)
          : this.ref(name, whole, where);
      if (typeof resolved !== 'string')
        return this.fail(
          whole,
          where,
          `${match} resolves to ${JSON.stringify(resolved)}, not a string`,
        );
      return resolved;
    });
  }

  private condition(name: string, where: string): boolean {
    const definition = this.stack.template.Conditions?.[name];
    if (definition === undefined)
      return this.fail({ Condition: name }, where, `Conditions has no ${name}`);
    const value = this.resolve(definition, `Conditions.${name}`);
    if (typeof value !== 'boolean')
      return this.fail(
        definition,
        `Conditions.${name}`,
        'a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition',
      );
    return value;
  }
}
