import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { dirname, join } from "node:path";

/** Azurite's documented development account; it is public and only ever valid against Azurite. */
const account = "devstoreaccount1";
const accountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export interface Azurite extends AsyncDisposable {
  readonly connectionString: string;
}

/**
 * Starts Azurite's blob service on a free loopback port, in memory, and resolves once it listens.
 * Dispose it to stop the process (it is also stopped if the test process exits).
 */
export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  const require = createRequire(import.meta.url);
  const main = join(dirname(require.resolve("azurite/package.json")), "dist", "src", "blob", "main.js");
  const child = spawn(
    process.execPath,
    [main, "--inMemoryPersistence", "--blobHost", "127.0.0.1", "--blobPort", String(port), "--skipApiVersionCheck", "--loose"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const stop = () => child.kill("SIGKILL");
  process.once("exit", stop);
  try {
    await listening(child);
  } catch (error) {
    stop();
    throw error;
  }
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${accountKey};BlobEndpoint=http://127.0.0.1:${port}/${account};`,
    async [Symbol.asyncDispose]() {
      process.removeListener("exit", stop);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      // In memory, nothing to flush; a graceful stop waits for the SDK's keep-alive sockets.
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Resolves when Azurite says it listens; rejects if it exits first or takes over 30 s. */
function listening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`Azurite did not start within 30 s:\n${output}`)), 30_000);
    const onData = (data: Buffer) => {
      output += data.toString();
      if (/successfully listens on/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`Azurite exited (${code}) before listening:\n${output}`));
    });
  });
}

/** A loopback port nothing listens on right now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
