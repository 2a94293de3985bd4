import { EmbeddedQueueClient } from "../src/index.ts";
import { describeQueueConformance } from "./conformance.ts";
import { makeTempDir } from "./temp-dir.ts";

describeQueueConformance("embedded (SQLite)", async (settings) => {
  const dir = makeTempDir();
  const client = new EmbeddedQueueClient({ path: dir.file("queue.sqlite"), ...settings });
  return {
    client,
    async dispose() {
      await client.close();
      dir.remove();
    },
  };
});
