/**
 * `npm run build`'s last step: bundle `dplc check` (dist/cli/check-main.js and everything it
 * reaches, dependencies included) into one CommonJS file, dist/check.cjs, with its source map.
 * bin/dplc runs it for `dplc check`: one file instead of ~150 ES modules resolved, read,
 * compiled and linked one by one, and `require`d Node modules instead of imported ones (an ES
 * module import of node:fs or node:crypto loads some 35 more internal modules). It is built
 * from tsc's output in dist/, so it is the same code the tests run; dist/ stays the library
 * and every other command.
 *
 * Measured and not kept: V8's code cache for the bundle (vm.Script cachedData, stored in the
 * user's cache) made a one-line check no faster: V8 compiles the few functions a check runs
 * lazily in less time than deserializing and verifying the cache took.
 */
import * as esbuild from "esbuild";
import { readFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, "dist");

const result = await esbuild.build({
  entryPoints: [join(dist, "cli", "check-main.js")],
  outfile: join(dist, "check.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: true,
  logLevel: "silent",
  plugins: [
    {
      name: "dplc-dist",
      setup(build) {
        // chevrotain.ts loads chevrotain's one-file ESM build with a computed URL (its package
        // entry pulls in hundreds of lodash modules); here that file is bundled directly.
        build.onLoad({ filter: /[\\/]dist[\\/]syntax[\\/]chevrotain\.js$/ }, async (args) => {
          const source = await readFile(args.path, "utf8");
          const names = /export const \{([^}]*)\} = chevrotain;/.exec(source)?.[1];
          if (!names) throw new Error(`${args.path}: no \`export const { ... } = chevrotain;\` to bundle`);
          const file = join(root, "node_modules", "chevrotain", "lib", "chevrotain.mjs");
          return { contents: `export {${names}} from ${JSON.stringify(file)};`, loader: "js", resolveDir: root };
        });
        // A module's import.meta.url keeps naming its own file in dist/ (the package root, the
        // front end's build stamp and the explanations are found from it).
        build.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, async (args) => {
          const source = await readFile(args.path, "utf8");
          if (!source.includes("import.meta")) return undefined;
          const own = JSON.stringify(relative(dist, args.path).split("\\").join("/"));
          return { contents: source.replaceAll("import.meta.url", `require("node:url").pathToFileURL(require("node:path").join(__dplcDist, ${own})).href`), loader: "js" };
        });
      },
    },
  ],
  banner: { js: "const __dplcDist = __dirname;" },
});
const problems = [...result.errors, ...result.warnings];
if (problems.length > 0) {
  for (const m of await esbuild.formatMessages(problems, { kind: "warning" })) process.stderr.write(m);
  process.exit(1);
}
