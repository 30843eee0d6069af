#!/usr/bin/env node
// Validates Kubernetes manifests against the schemas that kubernetes-models, @kubernetes-models/keda and
// @kubernetes-models/cilium ship, so the tests can prove that what Harmony publishes would be accepted by an API
// server with strict field validation (what kubectl's default --validate=strict asks for).
//
//   node validate.mjs <file-or-directory>...
//
// A directory is searched recursively for *.yaml and *.yml; a file is read whatever its name. Every YAML document
// of every file is checked (empty documents are skipped) and one JSON line per document goes to stdout:
//
//   {"file":"...","index":0,"apiVersion":"apps/v1","kind":"Deployment","name":"web","ok":false,"errors":["..."]}
//
// index is the document's 0-based position in its file. Each error starts with the JSON path of the offending value
// ($ is the document). Exit code: 0 when every document is valid, 1 when any is not, 2 on a usage error (no paths, a
// path that cannot be read, a directory without YAML, a YAML syntax error); usage errors go to stderr as
// "validate.mjs: ..." lines and nothing goes to stdout.
//
// YAML is read as YAML 1.1 (without the timestamp type), as the API machinery (sigs.k8s.io/yaml over go-yaml v2)
// reads it: an unquoted `yes`, `on` or `NO` is a boolean there, so it is one here, and a string field holding one
// fails here as it would fail on a cluster.
//
// Beyond the schemas, the names the API server checks by format are checked too (the OpenAPI documents do not carry
// those rules): metadata.name, metadata.namespace, container, volume and port names, ConfigMap keys. And, as kustomize
// refuses to build two objects with the same identity, a document whose group, kind, namespace and name repeat an
// earlier document's under the same argument fails.
//
// Files named kustomization.yaml / kustomization.yml are not Kubernetes objects: they are checked only for being a
// mapping with apiVersion kustomize.config.k8s.io/v1beta1, kind Kustomization and a resources list whose entries
// exist relative to the file (a file, or a directory holding a kustomization).

import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import process from "node:process";
import { LineCounter, parseAllDocuments } from "yaml";
import { UsageError, yamlFilesUnder } from "./yaml-files.mjs";

const KUSTOMIZATION_FILES = new Set(["kustomization.yaml", "kustomization.yml"]);
const KUSTOMIZATION_API_VERSION = "kustomize.config.k8s.io/v1beta1";

// ---------------------------------------------------------------------------------------------------------------
// Model lookup, built from the packages' exports rather than a hand-written list: every exported class that carries
// a static apiVersion and kind and has a validate() (what @kubernetes-models/base's Model and setValidateFunc give
// each top-level object) is a kind this script knows. About 300 kinds: core v1, apps, batch, policy, networking,
// rbac, admissionregistration (ValidatingAdmissionPolicy and its binding included), autoscaling, storage, ..., KEDA
// (ScaledObject, ScaledJob, TriggerAuthentication, ...) and Cilium (CiliumNetworkPolicy, ...).
//
// Loading a whole package costs about a second (it imports every compiled schema), so an apiVersion is looked up
// first in the packages whose export map has that group/version as a subpath ("./apps/v1", "./v1",
// "./keda.sh/v1alpha1", "./cilium.io/v2"), importing only that; the whole packages load only to explain an unknown
// apiVersion/kind.

const PACKAGES = ["kubernetes-models", "@kubernetes-models/keda", "@kubernetes-models/cilium"];
const requireFromHere = createRequire(import.meta.url);
const EXPORTED_SUBPATHS = PACKAGES.map((name) => ({
    name,
    subpaths: new Set(Object.keys(requireFromHere(`${name}/package.json`).exports ?? {})),
}));

function buildModelIndex(namespaces) {
    const models = new Map();
    const seen = new Set();
    const visit = (value) => {
        if (value === null || (typeof value !== "object" && typeof value !== "function") || seen.has(value)) {
            return;
        }
        seen.add(value);
        if (typeof value === "function") {
            if (typeof value.apiVersion === "string" && typeof value.kind === "string" &&
                typeof value.prototype?.validate === "function") {
                models.set(modelKey(value.apiVersion, value.kind), value);
            }
            return;
        }
        for (const member of Object.values(value)) {
            visit(member);
        }
    };
    namespaces.forEach(visit);
    return models;
}

function modelKey(apiVersion, kind) {
    return `${apiVersion}\u0000${kind}`;
}

const groupVersionModels = new Map();

function modelsFor(apiVersion) {
    let models = groupVersionModels.get(apiVersion);
    if (!models) {
        const subpath = `./${apiVersion}`;
        models = Promise.all(EXPORTED_SUBPATHS
            .filter(({ subpaths }) => subpaths.has(subpath))
            .map(({ name }) => import(`${name}/${apiVersion}`)))
            .then(buildModelIndex);
        groupVersionModels.set(apiVersion, models);
    }
    return models;
}

let everyModel;

function allModels() {
    everyModel ??= Promise.all(PACKAGES.map((name) => import(name))).then(buildModelIndex);
    return everyModel;
}

async function findModel(apiVersion, kind) {
    return (await modelsFor(apiVersion)).get(modelKey(apiVersion, kind)) ??
        (await allModels()).get(modelKey(apiVersion, kind));
}

// ---------------------------------------------------------------------------------------------------------------
// Unknown fields. The packages do not reject them: their schemas come from the Kubernetes OpenAPI documents and the
// CRDs, which say nothing about additionalProperties on structs, so a Deployment whose container has `readinesProbe`
// (a typo of readinessProbe) passes validate(). An API server with strict field validation rejects it, and kubectl
// without it silently drops the field, so the typo would ship. The packages ship no JSON schema text to walk either:
// each schema is compiled ahead of time into standalone ajv code (kubernetes-models/_schemas/*.js), with $ref,
// allOf, anyOf and oneOf already resolved into calls between those functions.
//
// So the declared properties are taken from the compiled schema itself: the model's own validate() runs a second
// time over a copy of the document in which every object is a Proxy recording which property names the validator
// looks up. The code ajv generates reads `data.<name>` for each property its schema declares (present or not,
// through $ref and allOf, and in the anyOf / oneOf branches it evaluates) and enumerates the keys (`for (key in data)`) only
// where the schema takes arbitrary keys (additionalProperties / patternProperties: labels, annotations, resource
// limits, ConfigMap data, KEDA trigger metadata). An object's key that the validator never looked up is therefore
// undeclared, and is reported as `unknown field` with the closest declared name. Objects whose keys the validator
// enumerated are maps and accept any key; objects it never touched (free-form schemas such as
// x-kubernetes-preserve-unknown-fields, or anything under an unknown field) are not checked, as the API server
// does not check them either. This follows exactly the schema validate() uses, with no second copy of it to drift.
//
// One gap in the packages is allowed for: their generator drops every schema key named `description` or starting
// with `x-kubernetes-` before compiling, and with them the real properties of those names (their TypeScript types
// still declare them): CiliumNetworkPolicy's spec.description, JSONSchemaProps' description and
// x-kubernetes-preserve-unknown-fields. Those names are never reported as unknown.

function declaredPropertiesOf(model, data) {
    const touched = new Map();
    const proxies = new WeakMap();
    const wrap = (value) => {
        if (value === null || typeof value !== "object") {
            return value;
        }
        const existing = proxies.get(value);
        if (existing) {
            return existing;
        }
        const record = { names: new Set(), enumerated: false };
        const note = (key) => {
            if (typeof key === "string") {
                record.names.add(key);
                touched.set(value, record);
            }
        };
        const proxy = new Proxy(value, {
            get(target, key, receiver) {
                note(key);
                return wrap(Reflect.get(target, key, receiver));
            },
            has(target, key) {
                note(key);
                return Reflect.has(target, key);
            },
            getOwnPropertyDescriptor(target, key) {
                note(key);
                return Reflect.getOwnPropertyDescriptor(target, key);
            },
            ownKeys(target) {
                record.enumerated = true;
                touched.set(value, record);
                return Reflect.ownKeys(target);
            },
        });
        proxies.set(value, proxy);
        return proxy;
    };

    try {
        model.validate.call(wrap(data));
    } catch {
        // The schema errors were already collected from the plain validate() call; only the lookups matter here.
    }

    return touched;
}

const UNCHECKABLE_NAME = /^(description|x-kubernetes-.+)$/;

function unknownFieldErrors(model, data, label) {
    const touched = declaredPropertiesOf(model, data);
    const errors = [];
    const walk = (value, jsonPath) => {
        if (Array.isArray(value)) {
            value.forEach((item, i) => walk(item, `${jsonPath}[${i}]`));
            return;
        }
        if (value === null || typeof value !== "object") {
            return;
        }
        const record = touched.get(value);
        for (const [key, child] of Object.entries(value)) {
            const childPath = appendKey(jsonPath, key);
            if (record && !record.enumerated && !record.names.has(key) && !UNCHECKABLE_NAME.test(key)) {
                const hint = closestName(key, record.names);
                errors.push(`${childPath}: unknown field "${key}" (not declared by the ${label} schema` +
                    (hint ? `; did you mean "${hint}"?)` : ")"));
                continue;
            }
            walk(child, childPath);
        }
    };
    walk(data, "$");
    return errors;
}

function closestName(key, names) {
    let best = null;
    let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1;
    for (const name of names) {
        const distance = editDistance(key.toLowerCase(), name.toLowerCase());
        if (distance < bestDistance) {
            best = name;
            bestDistance = distance;
        }
    }
    return best;
}

function editDistance(a, b) {
    let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        const current = [i];
        for (let j = 1; j <= b.length; j++) {
            current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        }
        previous = current;
    }
    return previous[b.length];
}

// ---------------------------------------------------------------------------------------------------------------
// Schema errors, as readable strings with the JSON path.

function appendKey(jsonPath, key) {
    return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${jsonPath}.${key}` : `${jsonPath}[${JSON.stringify(key)}]`;
}

// Turns ajv's JSON Pointer (/spec/template/spec/containers/0) into $.spec.template.spec.containers[0], using the
// document to tell array indexes from keys; also returns the value found there.
function resolvePointer(pointer, root) {
    let jsonPath = "$";
    let value = root;
    for (const raw of pointer.split("/").slice(1)) {
        const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
        if (Array.isArray(value)) {
            jsonPath += `[${segment}]`;
        } else {
            jsonPath = appendKey(jsonPath, segment);
        }
        value = value !== null && typeof value === "object" ? value[segment] : undefined;
    }
    return { jsonPath, value };
}

function describeValue(value) {
    if (value === null) {
        return "null";
    }
    if (Array.isArray(value)) {
        return "an array";
    }
    if (typeof value === "object") {
        return "an object";
    }
    const text = JSON.stringify(value);
    return `${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}

function schemaErrors(model, data) {
    try {
        model.validate();
        return [];
    } catch (error) {
        if (!Array.isArray(error?.errors)) {
            throw error;
        }
        return error.errors.map((e) => {
            const { jsonPath, value } = resolvePointer(e.instancePath ?? "", data);
            let message = e.message ?? e.keyword;
            if (e.keyword === "required" && typeof e.params?.missingProperty === "string") {
                message = `must have required property "${e.params.missingProperty}"`;
            } else if (e.keyword === "type") {
                message += ` (got ${describeValue(value)})`;
            } else if (e.keyword === "enum" && Array.isArray(e.params?.allowedValues)) {
                message += `: ${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")} (got ${describeValue(value)})`;
            } else if (e.keyword === "format" || e.keyword === "pattern" || e.keyword === "const") {
                message += ` (got ${describeValue(value)})`;
            }
            return `${jsonPath}: ${message}`;
        });
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Names, with the formats of k8s.io/apimachinery/pkg/util/validation (IsDNS1123Subdomain, IsDNS1123Label,
// IsDNS1035Label, IsValidPortName, IsConfigMapKey).

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

// Kinds whose name is a label rather than a subdomain (it becomes a DNS label or a label value).
const LABEL_NAMED_KINDS = new Map([["Namespace", [DNS1123_LABEL, 63, "a DNS-1123 label"]],
    ["Service", [DNS1035_LABEL, 63, "a DNS-1035 label"]]]);

function formatError(jsonPath, value, [pattern, max, what]) {
    if (value === undefined) {
        return null; // a missing required name is the schema's to report
    }
    if (typeof value !== "string") {
        return `${jsonPath}: must be ${what} (got ${describeValue(value)})`;
    }
    return pattern.test(value) && value.length <= max ? null : `${jsonPath}: must be ${what} of at most ${max} characters (got ${describeValue(value)})`;
}

function isValidPortName(name) {
    return typeof name === "string" && name.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name) &&
        !name.includes("--") && /[a-z]/.test(name);
}

function podSpecsOf(data) {
    const spec = data.spec;
    if (!isMapping(spec)) {
        return [];
    }
    if (data.kind === "Pod") {
        return [["$.spec", spec]];
    }
    if (isMapping(spec.template?.spec)) {
        return [["$.spec.template.spec", spec.template.spec]];
    }
    if (isMapping(spec.jobTemplate?.spec?.template?.spec)) {
        return [["$.spec.jobTemplate.spec.template.spec", spec.jobTemplate.spec.template.spec]];
    }
    return [];
}

function nameErrors(data) {
    const errors = [];
    const metadata = isMapping(data.metadata) ? data.metadata : {};
    if (metadata.name === undefined && metadata.generateName === undefined) {
        errors.push("$.metadata.name: must be set");
    } else if (metadata.name !== undefined) {
        const rule = LABEL_NAMED_KINDS.get(data.kind) ?? [DNS1123_SUBDOMAIN, 253, "a DNS-1123 subdomain"];
        errors.push(formatError("$.metadata.name", metadata.name, rule));
    }
    if (metadata.namespace !== undefined) {
        errors.push(formatError("$.metadata.namespace", metadata.namespace, [DNS1123_LABEL, 63, "a DNS-1123 label"]));
    }
    for (const [at, pod] of podSpecsOf(data)) {
        for (const list of ["initContainers", "containers"]) {
            for (const [i, container] of (Array.isArray(pod[list]) ? pod[list] : []).entries()) {
                errors.push(formatError(`${at}.${list}[${i}].name`, container?.name, [DNS1123_LABEL, 63, "a DNS-1123 label"]));
                for (const [j, port] of (Array.isArray(container?.ports) ? container.ports : []).entries()) {
                    if (port?.name !== undefined && !isValidPortName(port.name)) {
                        errors.push(`${at}.${list}[${i}].ports[${j}].name: must be an IANA service name (at most 15 ` +
                            `lower-case letters, digits and single dashes, with a letter) (got ${describeValue(port.name)})`);
                    }
                }
            }
        }
        for (const [i, volume] of (Array.isArray(pod.volumes) ? pod.volumes : []).entries()) {
            errors.push(formatError(`${at}.volumes[${i}].name`, volume?.name, [DNS1123_LABEL, 63, "a DNS-1123 label"]));
        }
    }
    if (data.apiVersion === "v1" && (data.kind === "ConfigMap" || data.kind === "Secret")) {
        for (const field of ["data", "binaryData", "stringData"]) {
            for (const key of Object.keys(isMapping(data[field]) ? data[field] : {})) {
                if (!CONFIG_MAP_KEY.test(key) || key.length > 253) {
                    errors.push(`${appendKey(`$.${field}`, key)}: a key must be letters, digits, '-', '_' or '.'`);
                }
            }
        }
    }
    return errors.filter((e) => e !== null);
}

// The identity kustomize gives an object: group (not version), kind, namespace and name.
function identityOf(data) {
    if (!isMapping(data) || !isMapping(data.metadata) || typeof data.metadata.name !== "string") {
        return null;
    }
    const group = typeof data.apiVersion === "string" && data.apiVersion.includes("/") ? data.apiVersion.split("/")[0] : "";
    return `${group}|${data.kind}|${data.metadata.namespace ?? ""}|${data.metadata.name}`;
}

// ---------------------------------------------------------------------------------------------------------------
// One document.

function isMapping(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

async function validateObject(data) {
    if (!isMapping(data)) {
        return [`$: a Kubernetes object must be a mapping (got ${describeValue(data)})`];
    }
    const errors = [];
    for (const field of ["apiVersion", "kind"]) {
        if (typeof data[field] !== "string" || data[field] === "") {
            errors.push(`$.${field}: must be a non-empty string (got ${describeValue(data[field])})`);
        }
    }
    if (errors.length > 0) {
        return errors;
    }

    const Model = await findModel(data.apiVersion, data.kind);
    if (!Model) {
        const elsewhere = [...(await allModels()).values()].filter((m) => m.kind === data.kind).map((m) => m.apiVersion).sort();
        return [`$: unknown apiVersion/kind: no model for apiVersion "${data.apiVersion}", kind "${data.kind}" in ` +
            "kubernetes-models, @kubernetes-models/keda or @kubernetes-models/cilium" +
            (elsewhere.length > 0 ? ` (${data.kind} exists in ${elsewhere.join(", ")})` : "")];
    }

    // The model is built as the packages intend (new Model(data)); its JSON form, which validate() sees as well, is
    // what the paths refer to.
    const model = new Model(data);
    const json = model.toJSON();
    const label = `${data.apiVersion} ${data.kind}`;
    return [...new Set([...schemaErrors(model, json), ...unknownFieldErrors(model, json, label), ...nameErrors(json)])];
}

async function validateKustomization(data, file) {
    if (!isMapping(data)) {
        return [`$: a kustomization must be a mapping (got ${describeValue(data)})`];
    }
    const errors = [];
    if (data.apiVersion !== KUSTOMIZATION_API_VERSION) {
        errors.push(`$.apiVersion: must be "${KUSTOMIZATION_API_VERSION}" (got ${describeValue(data.apiVersion)})`);
    }
    if (data.kind !== "Kustomization") {
        errors.push(`$.kind: must be "Kustomization" (got ${describeValue(data.kind)})`);
    }
    if (!Array.isArray(data.resources)) {
        errors.push(`$.resources: must be a list of paths (got ${describeValue(data.resources)})`);
        return errors;
    }
    const directory = path.dirname(file);
    for (const [i, entry] of data.resources.entries()) {
        const at = `$.resources[${i}]`;
        if (typeof entry !== "string" || entry === "") {
            errors.push(`${at}: must be a non-empty path (got ${describeValue(entry)})`);
            continue;
        }
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || path.isAbsolute(entry)) {
            errors.push(`${at}: "${entry}" must be a path relative to the kustomization`);
            continue;
        }
        const target = path.resolve(directory, entry);
        const info = await stat(target).catch(() => null);
        if (info === null) {
            errors.push(`${at}: "${entry}" does not exist (looked for ${target})`);
        } else if (info.isDirectory()) {
            const nested = await Promise.all([...KUSTOMIZATION_FILES, "Kustomization"]
                .map((name) => stat(path.join(target, name)).then((s) => s.isFile(), () => false)));
            if (!nested.includes(true)) {
                errors.push(`${at}: "${entry}" is a directory without a kustomization.yaml`);
            }
        } else if (!info.isFile()) {
            errors.push(`${at}: "${entry}" is not a file`);
        }
    }
    return errors;
}

// ---------------------------------------------------------------------------------------------------------------
// Files.

async function parseFile(file) {
    let text;
    try {
        text = await readFile(file, "utf8");
    } catch (error) {
        throw new UsageError(`${file}: cannot be read (${error.code ?? error.message})`);
    }
    const lineCounter = new LineCounter();
    const documents = parseAllDocuments(text, {
        lineCounter,
        prettyErrors: false,
        version: "1.1",
        customTags: (tags) => tags.filter((tag) => tag.tag !== "tag:yaml.org,2002:timestamp"),
    });
    const list = Array.isArray(documents) ? documents : [documents];
    const problems = [];
    const values = [];
    for (const [index, document] of list.entries()) {
        for (const error of document.errors) {
            const { line, col } = lineCounter.linePos(error.pos[0]);
            problems.push(`${file}:${line}:${col}: YAML error: ${error.message.split("\n")[0]}`);
        }
        if (problems.length === 0 && document.contents !== null) {
            const value = document.toJS({ maxAliasCount: 1000 });
            if (value !== null && value !== undefined) {
                values.push({ index, value });
            }
        }
    }
    if (problems.length > 0) {
        throw new UsageError(problems.join("\n"));
    }
    return values;
}

async function main(argv) {
    if (argv.length === 0 || argv.includes("--help") || argv.includes("-h")) {
        throw new UsageError("usage: node validate.mjs <file-or-directory>...");
    }

    const usageErrors = [];
    const files = [];
    const rootOf = new Map();
    for (const [root, argument] of argv.entries()) {
        await yamlFilesUnder(argument).then((found) => files.push(...found), (error) => {
            if (!(error instanceof UsageError)) {
                throw error;
            }
            usageErrors.push(error.message);
        });
        files.filter((file) => !rootOf.has(file)).forEach((file) => rootOf.set(file, root));
    }
    const parsed = [];
    for (const file of [...new Set(files)]) {
        await parseFile(file).then(
            (documents) => parsed.push({ file, documents }),
            (error) => {
                if (!(error instanceof UsageError)) {
                    throw error;
                }
                usageErrors.push(error.message);
            });
    }
    if (usageErrors.length > 0) {
        throw new UsageError(usageErrors.join("\n"));
    }

    let allValid = true;
    const lines = [];
    const identities = new Map();
    for (const { file, documents } of parsed) {
        const isKustomization = KUSTOMIZATION_FILES.has(path.basename(file).toLowerCase());
        for (const { index, value } of documents) {
            const errors = isKustomization ? await validateKustomization(value, file) : await validateObject(value);
            // Each argument is one root (one kustomization's worth), so identities repeat only within one.
            const identity = isKustomization || identityOf(value) === null ? null : `${rootOf.get(file)}|${identityOf(value)}`;
            if (identity !== null && identities.has(identity)) {
                errors.push(`$.metadata.name: the same group, kind, namespace and name as ${identities.get(identity)}`);
            } else if (identity !== null) {
                identities.set(identity, `${file}#${index}`);
            }
            const mapping = isMapping(value) ? value : {};
            const name = isMapping(mapping.metadata) && typeof mapping.metadata.name === "string" ? mapping.metadata.name : null;
            allValid &&= errors.length === 0;
            lines.push(JSON.stringify({
                file,
                index,
                apiVersion: typeof mapping.apiVersion === "string" ? mapping.apiVersion : null,
                kind: typeof mapping.kind === "string" ? mapping.kind : null,
                name,
                ok: errors.length === 0,
                errors,
            }));
        }
    }
    process.stdout.write(lines.length > 0 ? `${lines.join("\n")}\n` : "");
    return allValid ? 0 : 1;
}

try {
    process.exitCode = await main(process.argv.slice(2));
} catch (error) {
    if (error instanceof UsageError) {
        for (const line of error.message.split("\n")) {
            process.stderr.write(`validate.mjs: ${line}\n`);
        }
        process.exitCode = 2;
    } else {
        process.stderr.write(`validate.mjs: internal error: ${error?.stack ?? error}\n`);
        process.exitCode = 2;
    }
}
