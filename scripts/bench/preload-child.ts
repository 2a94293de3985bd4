import { EmbeddedQueueClient } from "../../packages/queue/src/index.ts";
import { rowMessageChunks } from "./bench-rows.ts";

/**
 * Child process: `preload-child.ts <queuePath> <rows>` fills the `rows` queue with bench row
 * messages in big batches (one transaction each) and prints `{"rows","ms"}`.
 */
const [path = "", rowsArg = "0"] = process.argv.slice(2);
const started = performance.now();
const queue = new EmbeddedQueueClient({ path });
const sender = queue.createSender("rows");
for (const messages of rowMessageChunks(Number(rowsArg), 20_000)) await sender.sendMessages(messages);
const rows = queue.stats("rows").active;
await queue.close();
console.log(JSON.stringify({ rows, ms: performance.now() - started }));
