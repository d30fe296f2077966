import { readFileSync } from "node:fs";
import { SourceMap, type SourceMapPayload } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** One script's source map, with the folder its `sources` are relative to. */
interface LoadedMap {
  readonly map: SourceMap;
  readonly base: string;
}

/** Reads a file as UTF-8, or null when it cannot be read. */
function readText(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

/** The last `//# sourceMappingURL=` of a script, or null. */
function mappingUrlOf(source: string): string | null {
  const at = source.lastIndexOf("//# sourceMappingURL=");
  if (at < 0) return null;
  const rest = source.slice(at + "//# sourceMappingURL=".length);
  const end = rest.search(/\s/);
  return end < 0 ? rest : rest.slice(0, end);
}

/** A `data:application/json;base64,…` source map's JSON, or null for another data URL. */
function inlineMap(url: string): string | null {
  const match = /^data:application\/json;(?:charset=[^;,]+;)?base64,(.*)$/.exec(url);
  return match === null ? null : Buffer.from(match[1]!, "base64").toString("utf8");
}

/**
 * Maps positions in a script back to its source files through the script's source map, as
 * Echelon's published esbuild bundles (`dist/bundle/**.js`, linked `.map` files whose sources
 * chain back to `src/**.ts`) and tsc's per-file output have. Maps are read from disk on first
 * use and cached per script; a script without a readable map is remembered as such. Runtime
 * source-map support (`--enable-source-maps`) is not needed.
 */
export class SourceMapLocator {
  private readonly maps = new Map<string, LoadedMap | null>();

  /** @param read - reads a file (a test can stub the file system), null when missing */
  constructor(private readonly read: (file: string) => string | null = readText) {}

  /**
   * The absolute path of the source a position of a script comes from.
   *
   * @param url - the script's URL as in a CPU profile (`file://…`; other URLs have no map here)
   * @param line - 0-based line in the script
   * @param column - 0-based column in the script
   * @returns the original file, or null when the script has no map or the position no mapping
   */
  original(url: string, line: number, column: number): string | null {
    if (!url.startsWith("file://")) return null;
    const loaded = this.load(url);
    if (loaded === null) return null;
    const entry = loaded.map.findEntry(line, column) as { originalSource?: string };
    if (typeof entry.originalSource !== "string") return null;
    const source = entry.originalSource;
    if (source.startsWith("file://")) return fileURLToPath(source);
    return path.resolve(loaded.base, source);
  }

  private load(url: string): LoadedMap | null {
    const cached = this.maps.get(url);
    if (cached !== undefined) return cached;
    let loaded: LoadedMap | null = null;
    try {
      loaded = this.parse(fileURLToPath(url));
    } catch {
      loaded = null; // an unreadable or malformed map: the script keeps its own location
    }
    this.maps.set(url, loaded);
    return loaded;
  }

  private parse(file: string): LoadedMap | null {
    const script = this.read(file);
    if (script === null) return null;
    const mappingUrl = mappingUrlOf(script);
    if (mappingUrl === null) return null;
    let text = inlineMap(mappingUrl);
    let mapFile = file;
    if (text === null) {
      if (mappingUrl.startsWith("data:")) return null;
      mapFile = mappingUrl.startsWith("file://")
        ? fileURLToPath(mappingUrl)
        : path.resolve(path.dirname(file), decodeURIComponent(mappingUrl));
      text = this.read(mapFile);
      if (text === null) return null;
    }
    const payload = JSON.parse(text) as SourceMapPayload;
    return {
      map: new SourceMap(payload),
      base: path.resolve(path.dirname(mapFile), payload.sourceRoot ?? ""),
    };
  }
}
