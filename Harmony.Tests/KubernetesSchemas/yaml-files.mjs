// What validate.mjs and admission.mjs share: finding the YAML files an argument names, and the error either reports
// on stderr (exit code 2) rather than as a result.

import { readdir, stat } from "node:fs/promises";
import path from "node:path";

export class UsageError extends Error {}

// The argument itself when it is a file, whatever its name; for a directory, every *.yaml and *.yml below it (symbolic
// links followed), in name order. A directory without YAML is a usage error.
export async function yamlFilesUnder(argument) {
    let info;
    try {
        info = await stat(argument);
    } catch (error) {
        throw new UsageError(`${argument}: cannot be read (${error.code ?? error.message})`);
    }
    if (info.isFile()) {
        return [argument];
    }
    if (!info.isDirectory()) {
        throw new UsageError(`${argument}: is neither a file nor a directory`);
    }
    const files = [];
    const visit = async (directory) => {
        let entries;
        try {
            entries = await readdir(directory, { withFileTypes: true });
        } catch (error) {
            throw new UsageError(`${directory}: cannot be read (${error.code ?? error.message})`);
        }
        entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const entry of entries) {
            const full = path.join(directory, entry.name);
            const kind = entry.isSymbolicLink() ? await stat(full).catch(() => null) : entry;
            if (kind?.isDirectory()) {
                await visit(full);
            } else if (kind?.isFile() && /\.ya?ml$/i.test(entry.name)) {
                files.push(full);
            }
        }
    };
    await visit(argument);
    if (files.length === 0) {
        throw new UsageError(`${argument}: no *.yaml or *.yml files in this directory`);
    }
    return files;
}
