/** Thrown by publish and the subject builders when a payload or an id cannot be sent. */
export class EventValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventValidationError';
  }
}
