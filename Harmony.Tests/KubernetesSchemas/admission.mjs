#!/usr/bin/env node
// Runs the CEL validations of a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) over Kubernetes objects,
// as the API server would on CREATE, so the tests can show which objects a policy admits and which it denies.
//
//   node admission.mjs <policy.yaml> <objects-file-or-directory>...
//
// The policy file holds exactly one ValidatingAdmissionPolicy. Every YAML document of the object files gets one JSON
// line on stdout:
//
//   {"file":"...","index":0,"kind":"Pod","name":"web","matched":true,"allowed":false,"validations":[...]}
//
// matched: the policy's matchConstraints.resourceRules select the object's group, version and resource (the resource
// is the kind lower-cased plus "s", which holds for the core kinds the tests use) for CREATE. Each validation has an
// outcome: "pass", "fail", or "error" (the expression did not evaluate to a bool); an error counts as a denial under
// failurePolicy Fail, the default. allowed: not matched, or every validation passed (or errored under Ignore).
//
// The expressions see `object` (maps and lists, integers as CEL ints), `oldObject` and `params` as null, `request`
// with operation CREATE, and `variables` from spec.variables. The CEL is evaluated by @bufbuild/cel, a conformance
// tested CEL implementation; the Kubernetes CEL libraries (quantity, url, authorizer, ...) are not available, so an
// expression using them reports an error. Exit code: 0 when every object was judged, 2 on a usage error (a missing
// file, a YAML error, no policy, an expression that does not parse); usage errors go to stderr.

import { readFile } from "node:fs/promises";
import process from "node:process";
import { isCelError, parse, run } from "@bufbuild/cel";
import { parseAllDocuments } from "yaml";
import { UsageError, yamlFilesUnder } from "./yaml-files.mjs";

async function documentsOf(file) {
    const text = await readFile(file, "utf8").catch((error) => {
        throw new UsageError(`${file}: cannot be read (${error.code ?? error.message})`);
    });
    const documents = parseAllDocuments(text, { intAsBigInt: true });
    const list = Array.isArray(documents) ? documents : [documents];
    const values = [];
    for (const [index, document] of list.entries()) {
        if (document.errors.length > 0) {
            throw new UsageError(`${file}: YAML error: ${document.errors[0].message.split("\n")[0]}`);
        }
        // Maps, not plain objects: CEL sees a Map as a map, so has() and field selection behave as on the API server.
        const value = document.toJS({ mapAsMap: true });
        if (value !== null && value !== undefined) {
            values.push({ index, value });
        }
    }
    return values;
}

function get(map, ...keys) {
    let value = map;
    for (const key of keys) {
        value = value instanceof Map ? value.get(key) : undefined;
    }
    return value;
}

function selects(rules, object) {
    const [group, version] = String(get(object, "apiVersion")).includes("/")
        ? String(get(object, "apiVersion")).split("/")
        : ["", String(get(object, "apiVersion"))];
    const resource = `${String(get(object, "kind")).toLowerCase()}s`;
    const has = (list, value) => Array.isArray(list) && (list.includes("*") || list.includes(value));
    return (rules ?? []).some((rule) =>
        has(get(rule, "apiGroups"), group) && has(get(rule, "apiVersions"), version) &&
        has(get(rule, "resources"), resource) && has(get(rule, "operations"), "CREATE"));
}

function evaluate(expression, bindings) {
    let result;
    try {
        result = run(expression, bindings);
    } catch (error) {
        return { outcome: "error", detail: String(error?.message ?? error) };
    }
    if (isCelError(result)) {
        return { outcome: "error", detail: result.message };
    }
    if (typeof result !== "boolean") {
        return { outcome: "error", detail: `evaluated to ${typeof result}, not bool` };
    }
    return { outcome: result ? "pass" : "fail", detail: null };
}

async function main(argv) {
    if (argv.length < 2) {
        throw new UsageError("usage: node admission.mjs <policy.yaml> <objects-file-or-directory>...");
    }

    const policies = (await documentsOf(argv[0])).filter(({ value }) =>
        get(value, "apiVersion") === "admissionregistration.k8s.io/v1" && get(value, "kind") === "ValidatingAdmissionPolicy");
    if (policies.length !== 1) {
        throw new UsageError(`${argv[0]}: holds ${policies.length} ValidatingAdmissionPolicy documents, not one`);
    }
    const spec = get(policies[0].value, "spec");
    const validations = get(spec, "validations") ?? [];
    const variables = get(spec, "variables") ?? [];
    for (const expression of [...validations, ...variables].map((v) => get(v, "expression"))) {
        try {
            parse(String(expression));
        } catch (error) {
            throw new UsageError(`${argv[0]}: expression does not parse: ${error?.message ?? error}`);
        }
    }
    const ignoreErrors = get(spec, "failurePolicy") === "Ignore";

    const lines = [];
    for (const argument of argv.slice(1)) {
        for (const file of await yamlFilesUnder(argument)) {
            for (const { index, value } of await documentsOf(file)) {
                const matched = selects(get(spec, "matchConstraints", "resourceRules"), value);
                const bindings = {
                    object: value,
                    oldObject: null,
                    params: null,
                    request: new Map([["operation", "CREATE"]]),
                    variables: new Map(),
                };
                for (const variable of variables) {
                    const result = run(String(get(variable, "expression")), bindings);
                    bindings.variables.set(String(get(variable, "name")), result);
                }
                const results = matched
                    ? validations.map((v) => ({ expression: String(get(v, "expression")), ...evaluate(String(get(v, "expression")), bindings) }))
                    : [];
                const allowed = results.every((r) => r.outcome === "pass" || (r.outcome === "error" && ignoreErrors));
                lines.push(JSON.stringify({
                    file,
                    index,
                    kind: get(value, "kind") ?? null,
                    name: get(value, "metadata", "name") ?? null,
                    matched,
                    allowed,
                    validations: results,
                }));
            }
        }
    }
    process.stdout.write(lines.length > 0 ? `${lines.join("\n")}\n` : "");
    return 0;
}

try {
    process.exitCode = await main(process.argv.slice(2));
} catch (error) {
    process.stderr.write(`admission.mjs: ${error instanceof UsageError ? error.message : `internal error: ${error?.stack ?? error}`}\n`);
    process.exitCode = 2;
}
