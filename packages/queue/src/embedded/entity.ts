/** Service Bus's name for a queue's dead-letter subqueue, which we use as its entity path too. */
const deadLetterSuffix = "/$deadletterqueue";

export function deadLetterPath(queueName: string): string {
  return `${queueName}${deadLetterSuffix}`;
}

export function isDeadLetterPath(entity: string): boolean {
  return entity.endsWith(deadLetterSuffix);
}

/** The path a receiver reads: the queue itself or its dead-letter subqueue. */
export function entityPath(queueName: string, subQueue: "deadLetter" | undefined): string {
  if (queueName.length === 0 || isDeadLetterPath(queueName)) {
    throw new TypeError(`invalid queue name "${queueName}": name the queue, and pass subQueue: "deadLetter" for its DLQ`);
  }
  return subQueue === "deadLetter" ? deadLetterPath(queueName) : queueName;
}
