/**
 * Messages the queue itself dead-lettered in this process (`MaxDeliveryCountExceeded`: delivered
 * too often, never settled). The hosts count their own dead letters per queue; this is the rest.
 */
export const queueDeadLetteredMetric = "queueMessageDeadLettered";
