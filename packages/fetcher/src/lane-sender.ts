import { type OutgoingMessage, type QueueSender, type WindowLane, type WindowLaneSenders, windowLane } from "@xdr-relay/core";

/**
 * One sender for both window lanes: each message goes to the lane its body names (`windowLane`),
 * so a retry copy, a share-full send-back and the halves of a split window go back to the lane
 * their window came from without the code that sends them knowing lanes exist.
 *
 * All or none per lane, not across lanes: a send that fails after one lane took its part is
 * retried by its caller under the same ids, and duplicate detection drops what already arrived.
 * (Every sender in the fetcher sends one lane's messages at a time anyway: a retry is one message,
 * and both halves of a window share its origin.)
 */
export function laneSender(senders: WindowLaneSenders): QueueSender {
  return {
    async sendMessages(messages) {
      const byLane = new Map<WindowLane, OutgoingMessage[]>();
      for (const m of messages) {
        const lane = windowLane(m.body);
        const group = byLane.get(lane);
        if (group) group.push(m);
        else byLane.set(lane, [m]);
      }
      for (const [lane, group] of byLane) await senders[lane].sendMessages(group);
    },
    async close() {
      await Promise.all([senders.live.close(), senders.backfill.close()]);
    },
  };
}
